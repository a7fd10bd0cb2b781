package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.ingest.DirectorySource;
import dev.loupe.ingest.IngestReport;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code similar} tier on the bundled demo collection ({@code demo/images}: 16 photographs,
 * GNOME backgrounds and Tux Paint stamps), through the real engine: indexed with the ingestor into
 * a Lucene index, searched with the demo's own files and sample queries.
 */
class DemoLikenessTest {
  private static final Path DEMO = Path.of(System.getProperty("loupe.demo.dir", "../demo")).toAbsolutePath().normalize();
  /** The demo's outdoor scenes: mountains, a sunset, a bridge over a plain, a stream, a meadow. */
  private static final Set<String> LANDSCAPES = Set.of(
      "lomiri-aitzgorri.jpg", "lomiri-picosdeeuropa.jpg", "lomiri-sunset.jpg", "lomiri-bridge.jpg", "lomiri-life.jpg",
      "lomiri-seeding.jpg");
  private static final SearchRequest SIMILAR_ONLY = SearchRequest.defaults().withKinds(Set.of(MatchKind.SIMILAR));

  @TempDir static Path dir;
  private static Loupe loupe;
  private static IngestReport report;

  @BeforeAll
  static void indexTheDemo() throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    report = loupe.ingestor().run(DirectorySource.scan(DEMO.resolve("images")), p -> { });
  }

  @AfterAll
  static void close() throws Exception {
    loupe.close();
  }

  private static String file(SearchHit hit) {
    return Path.of(hit.source()).getFileName().toString();
  }

  private static List<SearchHit> similar(String path, int topK) throws Exception {
    return loupe.search(Files.readAllBytes(DEMO.resolve(path)), SIMILAR_ONLY.withTopK(topK));
  }

  @Test
  void landscapeQueriesReturnLandscapesFirstAndNoClipArt() throws Exception {
    assertEquals(List.of(), report.failures());
    for (String query : List.of("lomiri-aitzgorri.jpg", "lomiri-picosdeeuropa.jpg", "lomiri-sunset.jpg")) {
      List<SearchHit> hits = similar("images/" + query, 10);
      List<String> files = hits.stream().map(DemoLikenessTest::file).toList();
      assertTrue(hits.size() >= 2, query + ": " + files);
      for (SearchHit hit : hits.subList(0, 2)) {
        assertTrue(LANDSCAPES.contains(file(hit)), query + ": " + files);
      }
      for (String f : files) {
        assertTrue(f.startsWith("lomiri-"), query + " is answered with " + f + ": " + files);
      }
    }
  }

  @Test
  void similarOnlyNeverReturnsACopyOfTheQuery() throws Exception {
    List<SearchHit> all = loupe.search(Files.readAllBytes(DEMO.resolve("queries/border-sunset.jpg")),
        SearchRequest.defaults());
    assertEquals("lomiri-sunset.jpg", file(all.getFirst()));
    assertEquals(MatchKind.NEAR_DUPLICATE, all.getFirst().match());

    for (String query : List.of("queries/border-sunset.jpg", "images/lomiri-sunset.jpg", "queries/rotated-aitzgorri.jpg",
        "queries/crop-corner-dragonfly.jpg")) {
      List<SearchHit> hits = similar(query, 100);
      String original = query.contains("sunset") ? "lomiri-sunset.jpg"
          : query.contains("aitzgorri") ? "lomiri-aitzgorri.jpg" : "lomiri-dragonfly.jpg";
      for (SearchHit hit : hits) {
        assertEquals(MatchKind.SIMILAR, hit.match());
        assertFalse(file(hit).equals(original), query + " returned its own original as similar");
      }
    }
  }

  @Test
  void nothingUnderTheFloorIsSimilar() throws Exception {
    // A night sky that is not in the collection: nothing in the demo is alike enough.
    assertEquals(List.of(), similar("queries/not-in-collection-infinite-sea.jpg", 100).stream()
        .map(DemoLikenessTest::file).toList());
    List<SearchHit> hits = similar("images/lomiri-aitzgorri.jpg", 100);
    assertTrue(hits.size() < 10, "top_k=100 gives " + hits.size() + " hits");
    for (SearchHit hit : hits) {
      assertTrue(hit.score() >= 0.75 * 0.70 && hit.score() < 0.75, file(hit) + " scores " + hit.score());
    }
  }
}
