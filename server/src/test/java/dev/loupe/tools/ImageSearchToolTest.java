package dev.loupe.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
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

    @Override
    public List<SearchHit> search(String imageUrl, SearchRequest request) throws FetchException, ImageRejected {
      requests.add(request);
      if (failure instanceof FetchException f) {
        throw f;
      }
      if (failure instanceof ImageRejected r) {
        throw r;
      }
      return List.of(
          new SearchHit(1, "a1", "Bridge \"one\"", "https://img.example.org/a.jpg", null, 0.98765, MatchKind.NEAR_DUPLICATE,
              Instant.parse("2020-01-02T03:04:05Z"), 800, 600, "https://img.example.org/a.jpg", 3, null),
          new SearchHit(2, "b2", "local", null, "https://example.org/p", 0.5, MatchKind.SIMILAR, null, 10, 20, "/x.png", 90, null));
    }

    @Override
    public void check(String dataUrl) { }

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
