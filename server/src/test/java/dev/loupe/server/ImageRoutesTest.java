package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static dev.loupe.server.ServerTestSupport.postMultipart;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every REST route and its errors, against a real server on a free port with the JDK client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageRoutesTest {
  Path dir;
  Loupe loupe;
  LoupeServer server;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    loupe.close();
  }

  static byte[] jpeg(long seed) {
    return TestImages.encode(TestImages.scene(640, 480, seed), "jpeg");
  }

  static String dataUrl(byte[] jpeg) {
    return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
  }

  long images() throws Exception {
    return json(get(server, "/healthz")).get("images").asLong();
  }

  @Test
  void healthAndModels() throws Exception {
    HttpResponse<byte[]> health = get(server, "/healthz");
    assertEquals(200, health.statusCode());
    assertEquals("ok", json(health).get("status").asText());
    assertTrue(json(health).get("images").isIntegralNumber());

    JsonNode models = json(get(server, "/v1/models"));
    assertEquals("list", models.get("object").asText());
    JsonNode model = models.get("data").get(0);
    assertEquals("builtin", model.get("id").asText());
    assertEquals("model", model.get("object").asText());
    assertEquals("loupe", model.get("owned_by").asText());
    assertTrue(model.get("created").isIntegralNumber());
  }

  @Test
  void unknownRouteAndWrongMethod() throws Exception {
    assertEquals("Unknown route: GET /v2/nothing",
        assertError(get(server, "/v2/nothing"), 404, "not_found", null));
    HttpResponse<byte[]> wrong = get(server, "/v1/images/search");
    assertEquals("Method GET is not allowed on /v1/images/search; allowed: POST.",
        assertError(wrong, 405, "method_not_allowed", null));
    assertEquals("POST", wrong.headers().firstValue("allow").orElseThrow());
    assertError(send(HttpRequest.newBuilder(uri(server, "/healthz")).DELETE()), 405, "method_not_allowed", null);
  }

  @Test
  void badJsonAndBadFields() throws Exception {
    String message = assertError(postJson(server, "/v1/images/search", "{\"image_url\": "), 400, "invalid_json", null);
    assertTrue(message.startsWith("The request body is not valid JSON: "), message);
    assertEquals("The request body must be a JSON object, got: array",
        assertError(postJson(server, "/v1/images/search", "[1]"), 400, "invalid_json", null));
    String url = dataUrl(jpeg(1));
    assertEquals("top_k must be between 1 and 100, got: 0", assertError(postJson(server, "/v1/images/search",
        "{\"image_url\":\"" + url + "\",\"top_k\":0}"), 400, "invalid_value", "top_k"));
    assertEquals("top_k must be an integer between 1 and 100, got: \"ten\"", assertError(postJson(server,
        "/v1/images/search", "{\"image_url\":\"" + url + "\",\"top_k\":\"ten\"}"), 400, "invalid_value", "top_k"));
    assertEquals("unknown match kind: copy (expected one of: exact, near_duplicate, partial, similar)",
        assertError(postJson(server, "/v1/images/search", "{\"image_url\":\"" + url + "\",\"match\":[\"copy\"]}"),
            400, "invalid_value", "match"));
    assertEquals("unknown sort: best (expected one of: relevance, oldest, newest, largest, most_changed)",
        assertError(postJson(server, "/v1/images/search", "{\"image_url\":\"" + url + "\",\"sort\":\"best\"}"),
            400, "invalid_value", "sort"));
    assertError(postJson(server, "/v1/images/search", "{\"top_k\":3}"), 400, "missing_required_parameter", "image_url");
    // Unknown fields are ignored.
    assertEquals(200, postJson(server, "/v1/images/search",
        "{\"image_url\":\"" + url + "\",\"model\":\"x\",\"extra\":{\"a\":1}}").statusCode());
  }

  @Test
  void localReferencesAreRefused() throws Exception {
    Path file = dir.resolve("secret.jpg");
    Files.write(file, jpeg(2));
    String base64 = Base64.getEncoder().encodeToString(jpeg(2));
    for (String reference : List.of(file.toString(), file.toUri().toString(), base64)) {
      String message = assertError(postJson(server, "/v1/images/search",
          ServerTestSupport.JSON.createObjectNode().put("image_url", reference).toString()),
          400, "invalid_image_url", "image_url");
      assertTrue(message.startsWith("image_url must be an http(s) URL or a data:image/...;base64 URL (or upload"
          + " the file as multipart/form-data); local paths, file: URLs and bare Base64 are not accepted over"
          + " HTTP, got: "), message);
    }
  }

  @Test
  void privateAddressesAreRefused() throws Exception {
    String message = assertError(postJson(server, "/v1/images/search",
        "{\"image_url\":\"" + uri(server, "/v1/images/x/content") + "\"}"), 400, "invalid_image_url", "image_url");
    assertTrue(message.startsWith(uri(server, "/v1/images/x/content").toString()), message);
  }

  @Test
  void imageLimitsKeepTheLoadersMessage() throws Exception {
    byte[] big = Arrays.copyOf(jpeg(3), 12_000_000);
    String expected;
    try {
      new ImageLoader(ImageLimits.defaults()).probe(big);
      throw new AssertionError("the loader accepted 12 MB");
    } catch (ImageRejected e) {
      expected = e.getMessage();
    }
    long before = images();
    assertEquals(expected, assertError(postMultipart(server, "/v1/images", Map.of("title", "big"), big),
        400, "image_file_too_large", "file"));
    assertEquals(before, images());

    byte[] tiny = TestImages.encode(TestImages.scene(8, 240, 4), "png");
    String small = assertError(postJson(server, "/v1/images/search", "{\"image_url\":\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(tiny) + "\"}"), 400, "image_too_small", "image_url");
    try {
      new ImageLoader(ImageLimits.defaults()).probe(tiny);
    } catch (ImageRejected e) {
      assertEquals(e.getMessage(), small);
    }
    assertError(postJson(server, "/v1/images/search", "{\"image_url\":\"data:image/png;base64,@@@\"}"),
        400, "invalid_image", "image_url");
  }

  @Test
  void addSearchReadDelete() throws Exception {
    byte[] image = jpeg(5);
    HttpResponse<byte[]> added = postMultipart(server, "/v1/images",
        Map.of("title", "Harbour at dusk", "page_url", "https://example.org/harbour"), image);
    assertEquals(200, added.statusCode(), new String(added.body()));
    String id = json(added).get("id").asText();
    assertEquals("new_image", json(added).get("outcome").asText());
    assertEquals("seen_again", json(postMultipart(server, "/v1/images",
        Map.of("title", "Harbour at dusk", "page_url", "https://example.org/harbour"), image)).get("outcome").asText());

    HttpResponse<byte[]> found = postMultipart(server, "/v1/images/search",
        Map.of("top_k", "3", "match", "exact,near_duplicate"), image);
    assertEquals(200, found.statusCode(), new String(found.body()));
    JsonNode hit = json(found).get("results").get(0);
    assertEquals(List.of("index", "title", "url", "id", "page_url", "score", "match", "first_seen", "width",
        "height", "last_seen", "occurrences", "thumbnail_url"), iterable(hit.fieldNames()));
    assertEquals(1, hit.get("occurrences").asInt());
    assertTrue(Instant.parse(hit.get("last_seen").asText()).isAfter(Instant.parse(hit.get("first_seen").asText())),
        "seen again after the first upload: " + hit);
    assertEquals(1, hit.get("index").asInt());
    assertEquals(id, hit.get("id").asText());
    assertEquals("Harbour at dusk", hit.get("title").asText());
    assertEquals("exact", hit.get("match").asText());
    assertEquals("https://example.org/harbour", hit.get("page_url").asText());
    assertEquals("/v1/images/" + id + "/thumbnail", hit.get("thumbnail_url").asText());

    JsonNode byJson = json(postJson(server, "/v1/images/search",
        "{\"image_url\":\"" + dataUrl(image) + "\",\"top_k\":1,\"match\":\"exact\",\"domain\":[\"example.org\"],\"sort\":\"oldest\"}"));
    assertEquals(id, byJson.get("results").get(0).get("id").asText());
    JsonNode mostChanged = json(postJson(server, "/v1/images/search",
        "{\"image_url\":\"" + dataUrl(image) + "\",\"top_k\":1,\"sort\":\"most_changed\"}"));
    assertEquals(id, mostChanged.get("results").get(0).get("id").asText());
    assertEquals(id, json(postMultipart(server, "/v1/images/search", Map.of("top_k", "1", "sort", "most_changed"),
        image)).get("results").get(0).get("id").asText());
    assertEquals(0, json(postJson(server, "/v1/images/search",
        "{\"image_url\":\"" + dataUrl(image) + "\",\"domain\":\"elsewhere.net\"}")).get("results").size());

    JsonNode stored = json(get(server, "/v1/images/" + id));
    assertEquals(640, stored.get("width").asInt());
    assertEquals("Harbour at dusk", stored.get("occurrences").get(0).get("title").asText());

    HttpResponse<byte[]> thumb = get(server, "/v1/images/" + id + "/thumbnail");
    assertEquals(200, thumb.statusCode());
    assertEquals("image/jpeg", thumb.headers().firstValue("content-type").orElseThrow());
    assertEquals((byte) 0xFF, thumb.body()[0]);
    // The upload's original bytes are kept and served, then deleted with the image.
    HttpResponse<byte[]> content = get(server, "/v1/images/" + id + "/content");
    assertEquals(200, content.statusCode());
    assertEquals("image/jpeg", content.headers().firstValue("content-type").orElseThrow());
    assertArrayEquals(image, content.body());
    Path original = dir.resolve("data/originals").resolve(dev.loupe.ingest.Originals.hash(image).substring(0, 2))
        .resolve(dev.loupe.ingest.Originals.hash(image));
    assertTrue(Files.isRegularFile(original), original.toString());

    HttpResponse<byte[]> deleted = send(HttpRequest.newBuilder(uri(server, "/v1/images/" + id)).DELETE());
    assertEquals("{\"id\":\"" + id + "\",\"deleted\":true}", new String(deleted.body()));
    assertEquals("No image with id " + id + ".", assertError(get(server, "/v1/images/" + id), 404, "not_found", null));
    assertError(send(HttpRequest.newBuilder(uri(server, "/v1/images/" + id)).DELETE()), 404, "not_found", null);
    assertError(get(server, "/v1/images/" + id + "/thumbnail"), 404, "not_found", null);
    assertFalse(Files.exists(original), "the original went with its image");
  }

  @Test
  void hitsListTheOtherPlacesAnImageWasSeen() throws Exception {
    byte[] image = jpeg(8);
    // The same picture on two sites, and in a file of the server's own.
    Path local = Files.write(dir.resolve("lighthouse-copy.jpg"), image);
    loupe.ingestor().add(image, new ImageRecord("https://news.example/l.jpg", "Lighthouse", "https://news.example/a",
        Instant.parse("2020-01-01T00:00:00Z")));
    loupe.ingestor().add(image, new ImageRecord("https://mirror.example/l.jpg", "Lighthouse, mirrored site",
        "https://mirror.example/post", Instant.parse("2021-01-02T03:04:05Z")));
    loupe.ingestor().add(image, new ImageRecord(local.toString(), null, null, Instant.parse("2022-02-03T00:00:00Z")));
    loupe.index().commit();

    JsonNode hit = json(postMultipart(server, "/v1/images/search", Map.of("top_k", "1", "match", "exact"), image))
        .get("results").get(0);
    assertEquals(List.of("index", "title", "url", "id", "page_url", "score", "match", "first_seen", "width",
        "height", "last_seen", "occurrences", "other_occurrences", "thumbnail_url"), iterable(hit.fieldNames()));
    assertEquals("Lighthouse", hit.get("title").asText());
    assertEquals("2020-01-01T00:00:00Z", hit.get("first_seen").asText());
    // Ingest marks each occurrence last seen when it is added; the hit shows the latest of them.
    Instant latest = Instant.EPOCH;
    for (JsonNode o : json(get(server, "/v1/images/" + hit.get("id").asText())).get("occurrences")) {
      Instant lastSeen = Instant.parse(o.get("last_seen").asText());
      latest = lastSeen.isAfter(latest) ? lastSeen : latest;
    }
    assertEquals(latest.toString(), hit.get("last_seen").asText());
    assertEquals(3, hit.get("occurrences").asInt());
    assertEquals("[{\"title\":\"Lighthouse, mirrored site\",\"url\":\"https://mirror.example/l.jpg\","
        + "\"page_url\":\"https://mirror.example/post\",\"first_seen\":\"2021-01-02T03:04:05Z\"},"
        + "{\"title\":\"lighthouse-copy\",\"url\":null,\"page_url\":null,\"first_seen\":\"2022-02-03T00:00:00Z\"}]",
        hit.get("other_occurrences").toString(), "the server's own paths are not shown");
  }

  @Test
  void contentServesLocalFilesAndRedirectsToUrls() throws Exception {
    byte[] local = jpeg(6);
    Path file = dir.resolve("indexed.jpg");
    Files.write(file, local);
    String localId = loupe.ingestor().add(local, ImageRecord.of(file.toString())).id();
    String remoteId = loupe.ingestor().add(jpeg(7), ImageRecord.of("https://example.org/seven.jpg")).id();
    loupe.index().commit();

    HttpResponse<byte[]> content = get(server, "/v1/images/" + localId + "/content");
    assertEquals(200, content.statusCode());
    assertEquals("image/jpeg", content.headers().firstValue("content-type").orElseThrow());
    assertArrayEquals(local, content.body());
    JsonNode hit = json(postJson(server, "/v1/images/search", "{\"image_url\":\"" + dataUrl(local) + "\",\"top_k\":1}"))
        .get("results").get(0);
    assertEquals("/v1/images/" + localId + "/content", hit.get("url").asText());

    HttpResponse<byte[]> redirect = get(server, "/v1/images/" + remoteId + "/content");
    assertEquals(302, redirect.statusCode());
    assertEquals("https://example.org/seven.jpg", redirect.headers().firstValue("location").orElseThrow());

    Files.delete(file);
    assertError(get(server, "/v1/images/" + localId + "/content"), 404, "not_found", null);
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
