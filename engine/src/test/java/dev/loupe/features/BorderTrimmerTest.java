package dev.loupe.features;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BorderTrimmerTest {
  /**
   * The run's seed ({@link TestSeed}); explore others with
   * {@code -Dtests.seed=N} (docs/features.md lists a seed that finds a known weakness).
   */
  private static final long SEED = TestSeed.value();
  private static final String SEED_MESSAGE = TestSeed.rerunHint();

  private static ContentBounds trim(BufferedImage image) {
    return BorderTrimmer.trim(Edits.data(image), image.getWidth(), image.getHeight());
  }

  @Test
  void solidPaddingOfAnyColourIsTrimmedToThePixel() {
    Random random = new Random(SEED);
    BufferedImage picture = withContentAtItsEdges(TestImages.generated(random, 301, 207), random);
    for (Color colour : new Color[] {Color.WHITE, Color.BLACK, new Color(random.nextInt(0x1000000))}) {
      BufferedImage padded = Edits.pad(picture, 0.15, colour);
      int bx = (int) Math.round(301 * 0.15), by = (int) Math.round(207 * 0.15);
      assertBounds(new ContentBounds(bx, by, bx + 301, by + 207), trim(padded), 1, colour + SEED_MESSAGE);
    }
  }

  @Test
  void jpegPaddingIsTrimmedToWithinAFewPixels() {
    Random random = new Random(SEED);
    BufferedImage picture = withContentAtItsEdges(TestImages.generated(random, 400, 300), random);
    BufferedImage padded = Edits.jpeg(Edits.pad(picture, 0.1, Color.WHITE), 15);
    // At quality 15 colour bleeds up to a JPEG block into the padding; a few of those pixels stay.
    assertBounds(new ContentBounds(40, 30, 440, 330), trim(padded), 8, SEED_MESSAGE);
  }

  @Test
  void screenshotFrameIsTrimmedBandByBand() {
    Random random = new Random(SEED);
    BufferedImage picture = withContentAtItsEdges(TestImages.generated(random, 360, 240), random);
    BufferedImage framed = Edits.screenshotFrame(picture);
    // The geometry of Edits.screenshotFrame: margin, one-pixel edge, title bar above the picture.
    int margin = Math.max(8, 360 / 12);
    int title = Math.max(10, 240 / 14);
    int left = margin + 1, top = margin + 1 + title;
    assertBounds(new ContentBounds(left, top, left + 360, top + 240), trim(framed), 1, SEED_MESSAGE);
  }

  @Test
  void blankImagesAndStripesAreNotTrimmed() {
    BufferedImage blank = TestImages.solid(200, 150, Color.GRAY);
    assertEquals(new ContentBounds(0, 0, 200, 150), trim(blank));
    // Every column of vertical stripes is flat, and none of them is a border.
    BufferedImage stripes = new BufferedImage(240, 160, BufferedImage.TYPE_3BYTE_BGR);
    var g = stripes.createGraphics();
    for (int x = 0; x < 240; x += 6) {
      g.setColor(x % 12 == 0 ? new Color(120, 80, 40) : new Color(200, 170, 120));
      g.fillRect(x, 0, 6, 160);
    }
    g.dispose();
    assertEquals(new ContentBounds(0, 0, 240, 160), trim(stripes));
  }

  @Test
  void aSmoothSkyIsKeptWithOrWithoutPadding() {
    Random random = new Random(SEED);
    BufferedImage picture = TestImages.generated(random, 320, 240);
    var g = picture.createGraphics();
    // A sky whose rows are flat but slowly change colour, fading into the picture below.
    for (int y = 0; y < 80; y++) {
      g.setColor(new Color(90 + y / 2, 140 + y / 3, 230));
      g.fillRect(0, y, 320, 1);
    }
    g.dispose();
    ContentBounds plain = trim(picture);
    ContentBounds padded = trim(Edits.pad(picture, 0.1, Color.BLACK));
    assertEquals(plain.top(), padded.top() - 24, "top " + plain + " vs " + padded + SEED_MESSAGE);
  }

  @Test
  void trimmingCommutesWithTransposition() {
    Random random = new Random(SEED);
    BufferedImage framed = Edits.screenshotFrame(TestImages.generated(random, 280, 200));
    ContentBounds b = trim(framed);
    ContentBounds t = trim(Edits.transform(framed, DihedralTransform.TRANSPOSE));
    assertEquals(new ContentBounds(b.top(), b.left(), b.bottom(), b.right()), t, SEED_MESSAGE);
  }

  /**
   * The picture with a band of coarse noise along its edges. A generated picture can by chance be
   * flat in luminance along an edge (a gradient between two colours of equal luminance with no
   * shape near that side), and the trimmer rightly cannot tell such a band from padding; the tests
   * that place edges to the pixel need pictures whose edges are content.
   */
  private static BufferedImage withContentAtItsEdges(BufferedImage picture, Random random) {
    int w = picture.getWidth(), h = picture.getHeight(), band = 2 * BorderTrimmer.BLOCK;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (x < band || y < band || x >= w - band || y >= h - band) {
          int level = 40 + random.nextInt(160);
          picture.setRGB(x, y, new Color(level, level, level).getRGB());
        }
      }
    }
    return picture;
  }

  private static void assertBounds(ContentBounds expected, ContentBounds actual, int tolerance, String message) {
    assertTrue(Math.abs(expected.left() - actual.left()) <= tolerance
            && Math.abs(expected.top() - actual.top()) <= tolerance
            && Math.abs(expected.right() - actual.right()) <= tolerance
            && Math.abs(expected.bottom() - actual.bottom()) <= tolerance,
        "expected " + expected + " within " + tolerance + " px, got " + actual + " " + message);
  }
}
