package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RegionPassTest {
  @Test
  void quadrantsCoverTheBufferWithoutOverlap() {
    assertEquals(List.of(new RegionPass.Box(0, 0, 256, 170), new RegionPass.Box(256, 0, 256, 170),
        new RegionPass.Box(0, 170, 256, 171), new RegionPass.Box(256, 170, 256, 171)), RegionPass.quadrants(512, 341));
  }

  @Test
  void quadrantsTooSmallToHashAreNotSearched() {
    assertEquals(List.of(), RegionPass.quadrants(512, 2 * RegionPass.MIN_SIDE - 1));
    assertEquals(4, RegionPass.quadrants(2 * RegionPass.MIN_SIDE, 2 * RegionPass.MIN_SIDE).size());
  }

  @Test
  void aQuadrantClaimsOnlyAPictureItHoldsWhole() {
    // A collage tile: all of the picture, filling the quadrant but for the gutters.
    assertTrue(RegionPass.holdsWhole(new Differences(1.0, 0.92, 0.5, 0, false, false, false)));
    // A caption band aligned with another picture's band: a fifth of that picture.
    assertFalse(RegionPass.holdsWhole(new Differences(0.2, 0.61, 0.6, 0, false, false, false)));
    // Inside a larger picture (a crop of it): not a whole picture.
    assertFalse(RegionPass.holdsWhole(new Differences(0.35, 1.0, 0.6, 0, false, false, false)));
    // Most of a picture, filling three quarters of the quadrant: not enough.
    assertFalse(RegionPass.holdsWhole(new Differences(0.81, 0.75, 1.2, 0, false, false, false)));
    assertFalse(RegionPass.holdsWhole(null));
  }


  /** Random grey-level noise with no flat line anywhere. */
  private static void noise(BufferedImage image, int x, int y, int w, int h, Random random) {
    for (int j = y; j < y + h; j++) {
      for (int i = x; i < x + w; i++) {
        int v = random.nextInt(256);
        image.setRGB(i, j, new Color(v, 255 - v, (v * 7) & 0xff).getRGB());
      }
    }
  }

  /** Through a JPEG at quality 90, as a query arrives. */
  private static DecodedImage asJpeg(BufferedImage image) throws IOException {
    var bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", bytes);
    return DecodedImage.of(ImageFormat.JPEG, ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
  }

  @Test
  void tilesOfACollageLoseTheGutterAndTheMargin() throws IOException {
    // 2 x 2 tiles of 244 x 163 with a gutter of 8 around and between them, in a flat colour.
    int gutter = 8;
    int cellW = 244;
    int cellH = 163;
    var collage = new BufferedImage(3 * gutter + 2 * cellW, 3 * gutter + 2 * cellH, BufferedImage.TYPE_3BYTE_BGR);
    var g = collage.createGraphics();
    g.setColor(new Color(200, 60, 90));
    g.fillRect(0, 0, collage.getWidth(), collage.getHeight());
    g.dispose();
    var random = new Random(7);
    for (int cell = 0; cell < 4; cell++) {
      noise(collage, gutter + (cell & 1) * (cellW + gutter), gutter + (cell >> 1) * (cellH + gutter), cellW, cellH, random);
    }
    List<RegionPass.Box> tiles = RegionPass.tiles(asJpeg(collage));
    assertEquals(4, tiles.size());
    for (int cell = 0; cell < 4; cell++) {
      RegionPass.Box box = tiles.get(cell);
      int x = gutter + (cell & 1) * (cellW + gutter);
      int y = gutter + (cell >> 1) * (cellH + gutter);
      // Inside the tile's gutters, but for the few lines JPEG's 8-pixel blocks blur with the tile's pixels.
      int slack = 4;
      assertTrue(box.x() >= x - slack && box.y() >= y - slack && box.x() <= x && box.y() <= y
          && box.x() + box.width() <= x + cellW + slack && box.y() + box.height() <= y + cellH + slack
          && box.x() + box.width() >= x + cellW && box.y() + box.height() >= y + cellH, "tile " + cell + ": " + box);
    }
  }

  @Test
  void aPictureWithoutAFrameKeepsItsQuadrants() throws IOException {
    var picture = new BufferedImage(500, 340, BufferedImage.TYPE_3BYTE_BGR);
    noise(picture, 0, 0, 500, 340, new Random(3));
    assertEquals(RegionPass.quadrants(500, 340), RegionPass.tiles(asJpeg(picture)));
  }

  @Test
  void aFlatMarginIsTrimmedNoFurtherThanTheBound() {
    // A flat picture is all frame: each side loses at most MAX_TRIM of the box.
    var flat = new BufferedImage(400, 400, BufferedImage.TYPE_3BYTE_BGR);
    RegionPass.Box box = new RegionPass.Box(0, 0, 200, 200);
    RegionPass.Box trimmed = RegionPass.trimFrame(DecodedImage.of(ImageFormat.PNG, flat), box);
    int most = (int) (200 * RegionPass.MAX_TRIM);
    assertEquals(new RegionPass.Box(most, most, 200 - 2 * most, 200 - 2 * most), trimmed);
    // A box the trim would leave under MIN_SIDE is kept whole.
    RegionPass.Box small = new RegionPass.Box(0, 0, RegionPass.MIN_SIDE, RegionPass.MIN_SIDE);
    assertEquals(small, RegionPass.trimFrame(DecodedImage.of(ImageFormat.PNG, flat), small));
  }

  @Test
  void aSideOfAnotherColourStopsTheTrim() {
    // A white margin of 10 lines above a blue sky: only the margin goes.
    var picture = new BufferedImage(300, 300, BufferedImage.TYPE_3BYTE_BGR);
    var g = picture.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 300, 10);
    g.setColor(new Color(90, 140, 230));
    g.fillRect(0, 10, 300, 290);
    g.dispose();
    noise(picture, 0, 60, 300, 240, new Random(5));
    RegionPass.Box trimmed = RegionPass.trimFrame(DecodedImage.of(ImageFormat.PNG, picture), new RegionPass.Box(0, 0, 300, 300));
    assertEquals(new RegionPass.Box(0, 10, 300, 290), trimmed);
  }
}
