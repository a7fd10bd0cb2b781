package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Similar hits stay in their score band (README: below 0.75), even when they look exactly alike. */
class SimilarScoreBandTest {
  @TempDir Path dir;

  @Test
  void anIdenticalLookingImageThatIsNoCopyScoresUnderTheCopyBand() throws Exception {
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      // One flat colour at two sizes: other pixels, a hash too weak for a copy claim, no keypoints,
      // and the same likeness descriptor.
      loupe.ingestor().add(TestImages.encode(solid(300, 200), "png"), ImageRecord.of("/flat-300.png"));
      List<SearchHit> hits = loupe.search(TestImages.encode(solid(450, 300), "png"), SearchRequest.defaults());
      assertEquals(1, hits.size(), hits.toString());
      assertEquals(MatchKind.SIMILAR, hits.getFirst().match());
      assertEquals(0.7499, hits.getFirst().score());
    }
  }

  private static BufferedImage solid(int width, int height) {
    var image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(40, 120, 200));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }
}
