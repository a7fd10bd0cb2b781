package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.DihedralTransform;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import org.junit.jupiter.api.Test;

/**
 * The hue-swap test on aligned cells: a flag of one layout in swapped colours fails it, while the
 * same flag after a brightness and contrast edit, under a caption, passes; trimming leaves out
 * what was pasted over a copy.
 */
class HueSwapTest {
  private static final Color BLUE = new Color(0, 42, 143);
  private static final Color RED = new Color(207, 20, 43);

  /** Five stripes and a triangle at the hoist, as the flags of Cuba and of Puerto Rico. */
  private static BufferedImage stripesAndTriangle(Color stripes, Color triangle) {
    BufferedImage image = new BufferedImage(480, 320, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    for (int i = 0; i < 5; i++) {
      g.setColor(i % 2 == 0 ? stripes : Color.WHITE);
      g.fillRect(0, i * 64, 480, 64);
    }
    g.setColor(triangle);
    g.fillPolygon(new Polygon(new int[] {0, 277, 0}, new int[] {0, 160, 320}, 3));
    g.dispose();
    return image;
  }

  private static ColourComparison cells(BufferedImage query, BufferedImage hit) {
    return ColourComparison.ofHashMatch(DecodedImage.of(ImageFormat.PNG, query), DecodedImage.of(ImageFormat.PNG, hit),
        DihedralTransform.IDENTITY);
  }

  @Test
  void swappedColoursOfOneLayoutAreSwapped() {
    BufferedImage cuba = stripesAndTriangle(BLUE, RED);
    BufferedImage puertoRico = stripesAndTriangle(RED, BLUE);
    assertTrue(SimplePictureCheck.hueSwapped(cells(puertoRico, cuba)));
    assertTrue(SimplePictureCheck.hueSwapped(cells(cuba, puertoRico)));
  }

  @Test
  void anEditedCopyUnderACaptionIsNotSwapped() {
    BufferedImage cuba = stripesAndTriangle(BLUE, RED);
    BufferedImage edited = new RescaleOp(1.2f, 15f, null).filter(cuba, null);
    Graphics2D g = edited.createGraphics();
    // A caption box over the middle: black with white text.
    g.setColor(Color.BLACK);
    g.fillRect(60, 130, 360, 60);
    g.setColor(Color.WHITE);
    g.drawString("WHEN THE FLAG IS A COPY", 150, 165);
    g.dispose();
    assertFalse(SimplePictureCheck.hueSwapped(cells(edited, cuba)));
    assertFalse(SimplePictureCheck.hueSwapped(cells(cuba, cuba)));
  }

  @Test
  void trimmingLeavesTheStickerOut() {
    BufferedImage cuba = stripesAndTriangle(BLUE, RED);
    BufferedImage captioned = stripesAndTriangle(BLUE, RED);
    Graphics2D g = captioned.createGraphics();
    // A yellow sticker over a sixth of the picture, away from its edges (a band at an edge would
    // be trimmed with the border before the cells are laid out).
    g.setColor(Color.YELLOW);
    g.fillRect(150, 100, 200, 128);
    g.dispose();
    ColourComparison all = cells(captioned, cuba);
    ColourComparison best = all.trimmed(SimplePictureCheck.SWAP_KEEP);
    assertEquals((int) Math.ceil(all.cells() * SimplePictureCheck.SWAP_KEEP), best.cells());
    assertTrue(all.lumaCorrelation() < 0.9, "with the sticker: " + all.lumaCorrelation());
    assertTrue(all.chromaResidual() > 0.5, "with the sticker: " + all.chromaResidual());
    assertTrue(best.lumaCorrelation() > 0.99, "without it: " + best.lumaCorrelation());
    assertTrue(best.chromaResidual() < 0.1, "without it: " + best.chromaResidual());
  }
}
