package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.ingest.ImageRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/images}: paging and every filter, against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectionRoutesTest {
  Loupe loupe;
  LoupeServer server;
  /** Image id by a letter: A (2015, a.example and b.example), B (2018), C (2020, a local file), D (2021). */
  final Map<String, String> ids = new HashMap<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    add("A", 1, "https://a.example/1.jpg", "Harbour at dusk", "https://a.example/", "2015-06-01T00:00:00Z");
    add("A", 1, "https://b.example/5.jpg", "Port", "https://b.example/port", "2019-01-01T00:00:00Z");
    add("B", 2, "https://b.example/2.jpg", "Mountain lake", null, "2018-01-01T00:00:00Z");
    add("C", 3, "/srv/photos/3.jpg", "Harbour wall", null, "2020-03-03T00:00:00Z");
    add("D", 4, "https://a.example/4.jpg", "Old town", null, "2021-01-01T00:00:00Z");
    loupe.index().commit();
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
  }

  private void add(String name, long seed, String location, String title, String page, String seen) throws Exception {
    var added = loupe.ingestor().add(ImageRoutesTest.jpeg(seed), new ImageRecord(location, title, page, Instant.parse(seen)));
    ids.put(name, added.id());
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    loupe.close();
  }

  /** The page's images as letters, in order. */
  private List<String> names(JsonNode page) {
    List<String> names = new ArrayList<>();
    for (JsonNode image : page.get("data")) {
      names.add(ids.entrySet().stream().filter(e -> e.getValue().equals(image.get("id").asText()))
          .map(Map.Entry::getKey).findFirst().orElseThrow());
    }
    return names;
  }

  private JsonNode list(String query) throws Exception {
    var response = get(server, "/v1/images" + query);
    assertEquals(200, response.statusCode(), new String(response.body()));
    return json(response);
  }

  @Test
  void pagesNewestFirst() throws Exception {
    JsonNode all = list("");
    assertEquals("list", all.get("object").asText());
    assertEquals(List.of("D", "C", "B", "A"), names(all));
    assertEquals(4, all.get("total").asInt());
    assertTrue(all.get("next_offset").isNull());

    JsonNode first = list("?limit=3");
    assertEquals(List.of("D", "C", "B"), names(first));
    assertEquals(3, first.get("next_offset").asInt());
    JsonNode second = list("?limit=3&offset=3");
    assertEquals(List.of("A"), names(second));
    assertEquals(4, second.get("total").asInt());
    assertTrue(second.get("next_offset").isNull());
    assertEquals(List.of("A", "B", "C", "D"), names(list("?order=oldest")));
  }

  @Test
  void everyImageCarriesEveryOccurrence() throws Exception {
    JsonNode a = list("?order=oldest&limit=1").get("data").get(0);
    assertEquals("2015-06-01T00:00:00Z", a.get("first_seen").asText());
    assertEquals(2, a.get("occurrences").size());
    assertEquals("Harbour at dusk", a.get("occurrences").get(0).get("title").asText());
    assertEquals("https://a.example/1.jpg", a.get("occurrences").get(0).get("url").asText());
    assertEquals("Port", a.get("occurrences").get(1).get("title").asText());
    assertEquals("https://b.example/port", a.get("occurrences").get(1).get("page_url").asText());
    assertTrue(a.get("thumbnail_url").asText().endsWith("/v1/images/" + ids.get("A") + "/thumbnail"));
    // A local file shows its content link, never its path.
    JsonNode c = list("?source=/srv/").get("data").get(0);
    assertTrue(c.get("occurrences").get(0).get("url").asText().endsWith("/v1/images/" + ids.get("C") + "/content"));
    assertTrue(!c.toString().contains("/srv/photos"), c.toString());
  }

  @Test
  void filters() throws Exception {
    assertEquals(List.of("D", "A"), names(list("?domain=a.example")));
    assertEquals(List.of("B", "A"), names(list("?domain=b.example")));
    assertEquals(List.of("D", "B", "A"), names(list("?domain=a.example,b.example")));
    assertEquals(List.of("D", "B", "A"), names(list("?domain=a.example&domain=b.example")));
    assertEquals(List.of("C"), names(list("?source=/srv/")));
    assertEquals(List.of("B", "A"), names(list("?source=https://b.example/")));
    assertEquals(List.of("C", "B"), names(list("?from=2016-01-01&to=2020-12-31")));
    assertEquals(List.of("D"), names(list("?from=2021-01-01T00:00:00Z")));
    assertEquals(List.of("C", "A"), names(list("?title=HARBOUR")));
    assertEquals(List.of("A"), names(list("?title=port")));
    assertEquals(List.of(), names(list("?title=harb")));
    JsonNode paged = list("?title=harbour&limit=1&offset=1");
    assertEquals(List.of("A"), names(paged));
    assertEquals(2, paged.get("total").asInt());
  }

  @Test
  void badValuesNameTheirParameter() throws Exception {
    assertEquals("limit must be between 1 and 1000, got: 0",
        assertError(get(server, "/v1/images?limit=0"), 400, "invalid_value", "limit"));
    assertEquals("offset must be an integer, got: two",
        assertError(get(server, "/v1/images?offset=two"), 400, "invalid_value", "offset"));
    assertEquals("from must be a date (2015-06-01) or an ISO-8601 instant (2015-06-01T12:00:00Z), got: yesterday",
        assertError(get(server, "/v1/images?from=yesterday"), 400, "invalid_value", "from"));
    assertEquals("to must be after from, got: from 2020-01-01T00:00:00Z, to 2019-01-01T00:00:00Z",
        assertError(get(server, "/v1/images?from=2020-01-01&to=2019-01-01"), 400, "invalid_value", "to"));
    assertEquals("order must be newest or oldest, got: random",
        assertError(get(server, "/v1/images?order=random"), 400, "invalid_value", "order"));
  }
}
