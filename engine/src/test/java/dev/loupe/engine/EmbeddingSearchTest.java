package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.embed.TinyModels;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text, image and hybrid queries through a real ONNX Runtime session over the tiny colour model;
 * the data directory remembering its model; re-embedding an index made without one.
 */
class EmbeddingSearchTest {
  @TempDir Path dir;

  /** {@code perColour} pictures of each colour, each with a differently placed and coloured block. */
  static Path pictures(Path dir, int perColour) {
    return TinyModels.colourPictures(dir.resolve("photos"), perColour);
  }

  private static List<String> colours(List<SearchHit> hits) {
    List<String> out = new ArrayList<>();
    for (SearchHit hit : hits) {
      out.add(hit.title().substring(0, hit.title().indexOf('-')));
    }
    return out;
  }

  @Test
  void textRedFindsTheRedPicturesOnly() throws Exception {
    Path photos = pictures(dir, 4);
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")), TinyModels.colour())) {
      loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
      assertEquals(12, loupe.embeddings().orElseThrow().count());
      for (String colour : List.of("red", "green", "blue")) {
        List<SearchHit> hits = loupe.searchText(colour, SearchRequest.defaults());
        assertEquals(List.of(colour, colour, colour, colour), colours(hits), colour);
        for (SearchHit hit : hits) {
          assertEquals(MatchKind.SIMILAR, hit.match());
          assertTrue(hit.score() > 0.6 && hit.score() < 0.75, "score " + hit.score());
        }
      }
    }
  }

  @Test
  void hybridQueryKeepsCopiesFirstAndLetsTheTextSteer() throws Exception {
    Path photos = pictures(dir, 3);
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")), TinyModels.colour())) {
      loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
      var query = loupe.analyzer().analyzeQuery(Files.readAllBytes(photos.resolve("red-0.png")));
      List<SearchHit> byImage = loupe.search(query, null, SearchRequest.defaults());
      assertEquals(MatchKind.EXACT, byImage.getFirst().match());
      assertEquals("red", colours(byImage).get(1));
      // A green-ish text pulls green pictures above the blue ones, the copy stays first.
      List<SearchHit> hybrid = loupe.search(query, "green", SearchRequest.defaults());
      assertEquals(MatchKind.EXACT, hybrid.getFirst().match());
      List<String> similar = colours(hybrid.subList(1, hybrid.size()));
      assertFalse(similar.contains("blue"), similar.toString());
      assertTrue(similar.contains("green"), similar.toString());
    }
  }

  @Test
  void textWithoutATextModelNamesTheSetting() throws Exception {
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("plain")))) {
      ModelRequired e = assertThrows(ModelRequired.class, () -> loupe.searchText("red", SearchRequest.defaults()));
      assertEquals("text queries need an embedding model with a text tower, and none is set: set --model DIR (or "
          + "LOUPE_MODEL=DIR) to a model directory that has textual/model.onnx", e.getMessage());
    }
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("image-only")), TinyModels.colourImageOnly())) {
      ModelRequired e = assertThrows(ModelRequired.class, () -> loupe.searchText("red", SearchRequest.defaults()));
      assertEquals("text queries need an embedding model with a text tower; the model tiny-colour-image-only has none "
          + "(no textual/model.onnx): set --model DIR (or LOUPE_MODEL=DIR) to a model directory that has "
          + "textual/model.onnx", e.getMessage());
    }
  }

  @Test
  void dataDirectoryRemembersItsModelAndRefusesAnother() throws Exception {
    Path photos = pictures(dir, 2);
    Path data = dir.resolve("data");
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data), TinyModels.colour())) {
      loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
    }
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      assertEquals("tiny-colour", loupe.embeddingModel().orElseThrow().identity().name());
      assertEquals(List.of("blue", "blue"), colours(loupe.searchText("blue", SearchRequest.defaults())));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Loupe.open(LoupeConfig.defaults(data), TinyModels.colourImageOnly()).close());
    assertEquals("this data directory's vectors were made by the model tiny-colour (dimension 16, from "
        + TinyModels.colour() + "); the model tiny-colour-image-only (dimension 16) cannot search them. Use --model "
        + "with the first model, or run `loupe reembed --model " + TinyModels.colourImageOnly()
        + "` to replace the vectors", e.getMessage());
  }

  @Test
  void reembedGivesVectorsToImagesIndexedWithoutAModelAndResumes() throws Exception {
    Path photos = pictures(dir, 14); // 42 images: more than one batch of 32
    Path data = dir.resolve("data");
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
    }
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data), TinyModels.colour())) {
      assertEquals(0, loupe.embeddings().orElseThrow().count());
      // stopped after the first batch, as a process killed there would be
      RuntimeException stop = assertThrows(RuntimeException.class, () -> loupe.reembed(1, p -> {
        throw new RuntimeException("stop");
      }));
      assertEquals("stop", stop.getMessage());
    }
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      assertEquals(32, loupe.embeddings().orElseThrow().count());
      ReembedProgress done = loupe.reembed(100, p -> { });
      assertEquals(new ReembedProgress(42, 10, 32, 0, 42), done);
      assertEquals(List.of("red", "red", "red", "red", "red"),
          colours(loupe.searchText("red", SearchRequest.defaults().withTopK(5))));
      assertEquals(14, loupe.searchText("red", SearchRequest.defaults().withTopK(100)).size());
    }
  }

  @Test
  void similarHitsAreNeverCopies() throws Exception {
    Path photos = pictures(dir, 3);
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")), TinyModels.colour())) {
      loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
      var query = loupe.analyzer().analyzeQuery(Files.readAllBytes(photos.resolve("blue-1.png")));
      List<SearchHit> similar = loupe.search(query, null,
          SearchRequest.defaults().withKinds(Set.of(MatchKind.SIMILAR)));
      assertFalse(similar.isEmpty());
      for (SearchHit hit : similar) {
        assertFalse(hit.title().equals("blue-1"), "the query's own original came back as similar");
      }
    }
  }
}
