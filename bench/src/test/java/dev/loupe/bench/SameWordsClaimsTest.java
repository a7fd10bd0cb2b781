package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays two of the dev set's false copy claims between captioned pictures whose captions begin
 * with the same words in the same font ({@code docs/benchmarks.md}, "Captions that begin alike"):
 * the words align along one line (43 and 58 inliers), and the pictures around them passed the pixel
 * check once their levels were fitted. The images are the dev set's (README beside them).
 */
class SameWordsClaimsTest {
  @TempDir Path dir;

  private static byte[] read(String file) throws Exception {
    try (InputStream in = SameWordsClaimsTest.class.getResourceAsStream("/same-words/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test image same-words/" + file);
      }
      return in.readAllBytes();
    }
  }

  @Test
  void captionsThatBeginAlikeDoNotMakeCopies() throws Exception {
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      for (String file : List.of("mate-ubuntu-mate-cold-no-logo-tile-1.jpg", "mate-ubuntu-mate-cold-no-logo-tile-29.jpg",
          "gnome-adwaita-d.jpg")) {
        loupe.ingestor().add(read(file), ImageRecord.of("/" + file));
      }
      // "ARRIVES" on both bands, and nothing of the corn maze in the collection: claimed as a
      // partial copy of tile 1 before.
      List<SearchHit> negative = loupe.search(read("template-corn-maze-4-caption.jpg"), SearchRequest.defaults());
      assertTrue(negative.stream().noneMatch(h -> h.match().isCopy()), negative.toString());
      // "TODAY EVERY WHEN" over "TODAY EVER ME THIS": tile 29 was claimed as a near-duplicate and
      // came first, which kept the region pass from finding the original. Now the original is the
      // copy, and the tile is not.
      List<SearchHit> hits = loupe.search(read("gnome-adwaita-d-caption.jpg"), SearchRequest.defaults());
      assertEquals("/gnome-adwaita-d.jpg", hits.getFirst().source(), hits.toString());
      assertTrue(hits.getFirst().match().isCopy(), hits.getFirst().toString());
      assertTrue(hits.stream().skip(1).noneMatch(h -> h.match().isCopy()), hits.toString());
    }
  }
}
