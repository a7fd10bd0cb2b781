package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import dev.loupe.image.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramedPictureTest {
  private static DecodedImage jpeg(BufferedImage image) throws IOException {
    return DecodedImage.of(ImageFormat.JPEG,
        ImageIO.read(new ByteArrayInputStream(TestImages.encode(image, "jpeg"))));
  }

  /** A scene whose left and right columns are near black: within 16 levels of a dark page, not within 8. */
  private static BufferedImage darkEdgedScene(int width, int height, long seed) {
    BufferedImage scene = TestImages.scene(width, height, seed);
    var g = scene.createGraphics();
    g.setColor(new Color(12, 12, 14));
    g.fillRect(0, 0, width / 10, height);
    g.fillRect(width - width / 10, 0, width / 10, height);
    g.dispose();
    return scene;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void thePictureOfAScreenshotIsFoundWithoutItsPage(boolean dark) throws IOException {
    for (long seed = 1; seed <= 3; seed++) {
      BufferedImage picture = dark ? darkEdgedScene(300, 220, seed) : TestImages.scene(300, 220, seed);
      BufferedImage shot = TestImages.screenshot(picture, dark, seed);
      Optional<RegionPass.Box> box = FramedPicture.find(jpeg(shot));
      assertTrue(box.isPresent(), "seed " + seed);
      RegionPass.Box b = box.get();
      // The picture's own box, to within the line JPEG's blur can take or give at each edge.
      int x = TestImages.SCREENSHOT_MARGIN;
      int y = TestImages.SCREENSHOT_BARS + TestImages.SCREENSHOT_MARGIN;
      assertEquals(x, b.x(), 1, b.toString());
      assertEquals(y, b.y(), 1, b.toString());
      assertEquals(x + 300, b.x() + b.width(), 1, b.toString());
      assertEquals(y + 220, b.y() + b.height(), 1, b.toString());
    }
  }

  @Test
  void aPictureWithoutAFrameHasNone() throws IOException {
    assertEquals(Optional.empty(), FramedPicture.find(jpeg(TestImages.scene(480, 360, 9))));
  }

  @Test
  void aFlatPictureHasNone() {
    var flat = new BufferedImage(400, 300, BufferedImage.TYPE_3BYTE_BGR);
    assertEquals(Optional.empty(), FramedPicture.find(DecodedImage.of(ImageFormat.PNG, flat)));
  }

  @Test
  void theTilesOfACollageAreNoFramedPicture() throws IOException {
    // Each tile is under the smallest share, and a box over two tiles has the gutter across it.
    int gutter = 10;
    var collage = new BufferedImage(3 * gutter + 2 * 240, 3 * gutter + 2 * 180, BufferedImage.TYPE_3BYTE_BGR);
    var g = collage.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, collage.getWidth(), collage.getHeight());
    for (int cell = 0; cell < 4; cell++) {
      g.drawImage(TestImages.scene(240, 180, 20 + cell), gutter + (cell & 1) * (240 + gutter),
          gutter + (cell >> 1) * (180 + gutter), null);
    }
    g.dispose();
    assertEquals(Optional.empty(), FramedPicture.find(jpeg(collage)));
  }

  @Test
  void aPictureOnAPlainBorderIsFoundWhenItLeavesTheBorderEnough() throws IOException {
    // A border of 15% on each side: the picture covers 49% of the query.
    var bordered = new BufferedImage(500, 400, BufferedImage.TYPE_3BYTE_BGR);
    var g = bordered.createGraphics();
    g.setColor(new Color(120, 160, 90));
    g.fillRect(0, 0, 500, 400);
    g.drawImage(TestImages.scene(350, 280, 4), 75, 60, null);
    g.dispose();
    RegionPass.Box b = FramedPicture.find(jpeg(bordered)).orElseThrow();
    // Within two lines: the scene's own edge can be near the border's brightness for a line, and
    // the outermost line left is dropped.
    assertEquals(75, b.x(), 2, b.toString());
    assertEquals(60, b.y(), 2, b.toString());
    assertEquals(425, b.x() + b.width(), 2, b.toString());
    assertEquals(340, b.y() + b.height(), 2, b.toString());
  }

  @Test
  void aQueryTooSmallForATileHasNone() {
    var small = new BufferedImage(RegionPass.MIN_SIDE, 300, BufferedImage.TYPE_3BYTE_BGR);
    assertEquals(Optional.empty(), FramedPicture.find(DecodedImage.of(ImageFormat.PNG, small)));
  }
}
