package dev.loupe.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.Occurrence;
import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSearchToolTest {
  /** Answers with fixed hits and records the requests. */
  static final class ScriptedBackend implements ImageSearchBackend {
    final List<SearchRequest> requests = new ArrayList<>();
    Exception failure;
    List<SearchHit> hits = List.of(
        new SearchHit(1, "a1", "Bridge \"one\"", "https://img.example.org/a.jpg", null, 0.98765, MatchKind.NEAR_DUPLICATE,
            Instant.parse("2020-01-02T03:04:05Z"), 800, 600, "https://img.example.org/a.jpg", 3, null),
        new SearchHit(2, "b2", "local", null, "https://example.org/p", 0.5, MatchKind.SIMILAR, null, 10, 20, "/x.png", 90, null));

    @Override
    public List<SearchHit> search(String imageUrl, SearchRequest request) throws FetchException, ImageRejected {
      requests.add(request);
      if (failure instanceof FetchException f) {
        throw f;
      }
      if (failure instanceof ImageRejected r) {
        throw r;
      }
      return hits;
    }

    @Override
    public FetchedImage fetch(String imageUrl) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SearchHit> search(byte[] encoded, SearchRequest request) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void outputIsTheSeedListWithLoupeFieldsAfter() throws Exception {
    ScriptedBackend backend = new ScriptedBackend();
    ImageSearchTool tool = new ImageSearchTool(backend, 10, id -> "http://host/v1/images/" + id + "/content");
    ImageSearchResult r = tool.run(ImageSearchArguments.ofUrl("https://q.example/x.jpg", "find", 50));
    assertEquals("[{\"index\":1,\"title\":\"Bridge \\\"one\\\"\",\"url\":\"https://img.example.org/a.jpg\",\"id\":\"a1\","
        + "\"page_url\":null,\"score\":0.988,\"match\":\"near_duplicate\",\"first_seen\":\"2020-01-02T03:04:05Z\","
        + "\"width\":800,\"height\":600},{\"index\":2,\"title\":\"local\",\"url\":\"http://host/v1/images/b2/content\","
        + "\"id\":\"b2\",\"page_url\":\"https://example.org/p\",\"score\":0.5,\"match\":\"similar\",\"first_seen\":null,"
        + "\"width\":10,\"height\":20}]", r.output());
    assertEquals(10, backend.requests.getFirst().topK(), "count is capped at the tool's maximum");
    assertEquals(List.of("https://img.example.org/a.jpg", "http://host/v1/images/b2/content"), r.urls());
  }

  @Test
  void hitsCarryTheirProvenanceAndDifferences() throws Exception {
    ScriptedBackend backend = new ScriptedBackend();
    Occurrence[] places = new Occurrence[7];
    places[0] = TestHits.seen("https://a.example/x.jpg", "https://a.example/post", "First", "2018-05-01", "2018-06-01");
    places[1] = TestHits.seen(null, null, "Scanned copy", "2019-01-01", "2025-03-04");
    for (int i = 2; i < places.length; i++) {
      places[i] = TestHits.seen("https://m" + i + ".example/x.jpg", null, "Mirror " + i, "202" + i + "-01-01");
    }
    backend.hits = List.of(TestHits.hit(1, MatchKind.PARTIAL, 0.9, 1600, 1200,
        new Differences(0.4151, 1.0, 0.5004, -12.04, true, false, false), places));
    ImageSearchTool tool = new ImageSearchTool(backend, 10, id -> "http://host/v1/images/" + id + "/content");
    JsonNode hit = HitJson.MAPPER.readTree(tool.run(ImageSearchArguments.ofUrl("https://q.example/x.jpg", null, 1)).output())
        .get(0);
    assertEquals(List.of("index", "title", "url", "id", "page_url", "score", "match", "first_seen", "width", "height",
        "last_seen", "occurrences", "other_occurrences", "differences"), iterable(hit.fieldNames()));
    assertEquals("partial", hit.get("match").asText());
    assertEquals("2026-01-01T12:00:00Z", hit.get("last_seen").asText(), "the latest sighting anywhere");
    assertEquals(7, hit.get("occurrences").asInt());
    JsonNode others = hit.get("other_occurrences");
    assertEquals(HitJson.OTHER_OCCURRENCES_LISTED, others.size(), "capped; the shown occurrence is not repeated");
    assertEquals("{\"title\":\"Scanned copy\",\"url\":null,\"page_url\":null,\"first_seen\":\"2019-01-01T12:00:00Z\"}",
        others.get(0).toString(), "a local file shows no path");
    assertEquals("Mirror 5", others.get(4).get("title").asText());
    assertEquals("{\"cropped\":true,\"hit_coverage\":0.42,\"query_coverage\":1.0,\"extended\":false,\"resized\":true,"
        + "\"scale\":0.5,\"rotated\":true,\"rotation\":-12.0,\"mirrored\":true,\"recoloured\":false,"
        + "\"perspective\":false,\"changes\":[\"cropped to 42% of the image\",\"rotated 12° counterclockwise\","
        + "\"mirrored\",\"resized (the image is 0.50x the query's size)\"]}", hit.get("differences").toString());
  }

  @Test
  void roundingNeverShowsNegativeZero() {
    JsonNode d = HitJson.differences(new Differences(1.0, 0.999, 1.001, -0.01, false, true, true));
    assertEquals("{\"cropped\":false,\"hit_coverage\":1.0,\"query_coverage\":1.0,\"extended\":false,\"resized\":false,"
        + "\"scale\":1.0,\"rotated\":false,\"rotation\":0.0,\"mirrored\":false,\"recoloured\":true,"
        + "\"perspective\":true,\"changes\":[\"perspective changed\",\"recoloured\"]}", d.toString());
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  @Test
  void failuresCarryContractCodes() {
    ScriptedBackend backend = new ScriptedBackend();
    ImageSearchTool tool = new ImageSearchTool(backend, 10, id -> id);
    backend.failure = new FetchException(FetchException.Reason.HTTP_STATUS, "https://q.example/x.jpg: HTTP 404");
    ImageSearchFailed e = assertThrows(ImageSearchFailed.class, () -> tool.run(ImageSearchArguments.ofUrl("https://q.example/x.jpg", null, 1)));
    assertEquals("failed_to_download_image", e.code());
    assertEquals("https://q.example/x.jpg: HTTP 404", e.getMessage());
    backend.failure = new ImageRejected(ImageRejected.Reason.TOO_SMALL, "image is 5x5 pixels; each side must be more than 10 pixels");
    assertEquals("image_too_small",
        assertThrows(ImageSearchFailed.class, () -> tool.run(ImageSearchArguments.ofUrl("https://q/x", null, 1))).code());
  }

  @Test
  void argumentsAreChecked() {
    assertEquals("exactly one of imageUrl and imageBytes must be given",
        assertThrows(IllegalArgumentException.class, () -> new ImageSearchArguments(null, null, null, 1)).getMessage());
    assertEquals("count must be at least 1, got: 0",
        assertThrows(IllegalArgumentException.class, () -> ImageSearchArguments.ofUrl("https://a/b", null, 0)).getMessage());
    assertEquals("maxResults must be between 1 and 100, got: 101",
        assertThrows(IllegalArgumentException.class, () -> new ImageSearchTool(new ScriptedBackend(), 101, id -> id)).getMessage());
  }
}
