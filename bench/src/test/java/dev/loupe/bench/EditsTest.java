package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Dimensions and basic pixel properties of every edit, on a generated 300x200 test card. */
class EditsTest {
  private static final int W = 300;
  private static final int H = 200;

  private long seed;
  private Random random;
  private BufferedImage card;

  @BeforeEach
  void setUp(TestInfo info) {
    seed = Long.getLong("tests.seed", 20250601L);
    // Printed so that a failure can be rerun with -Dtests.seed=<seed>.
    System.out.println(info.getDisplayName() + " seed " + seed);
    random = new Random(seed);
    card = testCard();
  }

  /** Left half red, right half blue, a green square top left, a horizontal grey ramp in the bottom quarter. */
  private static BufferedImage testCard() {
    var image = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(200, 30, 30));
    g.fillRect(0, 0, W / 2, H);
    g.setColor(new Color(30, 30, 200));
    g.fillRect(W / 2, 0, W / 2, H);
    g.setColor(new Color(30, 200, 30));
    g.fillRect(10, 10, 40, 40);
    g.dispose();
    for (int y = H * 3 / 4; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int v = x * 255 / (W - 1);
        image.setRGB(x, y, new Color(v, v, v).getRGB());
      }
    }
    return image;
  }

  @Test
  void jpeg15KeepsSizeAndIsLossy() {
    BufferedImage out = Edits.jpeg15(card);
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    assertTrue(Edits.jpeg(card, 15).length < Edits.jpeg(card, 90).length, "quality 15 must be smaller than 90");
    assertTrue(meanAbsoluteDifference(card, out) > 0.5, "quality 15 must change pixels");
    assertNear(new Color(200, 30, 30), out.getRGB(100, 100), 40);
  }

  @Test
  void downscale25HalvesEachSide() {
    BufferedImage out = Edits.downscale25(card);
    assertEquals(W / 2, out.getWidth());
    assertEquals(H / 2, out.getHeight());
    assertNear(new Color(200, 30, 30), out.getRGB(30, 50), 4);
  }

  @Test
  void rotate90TurnsClockwise() {
    BufferedImage out = Edits.rotate90(card);
    assertEquals(H, out.getWidth());
    assertEquals(W, out.getHeight());
    // The green square at the top left ends up at the top right.
    assertNear(new Color(30, 200, 30), out.getRGB(H - 1 - 20, 20), 0);
    // The red left half becomes the top half.
    assertNear(new Color(200, 30, 30), out.getRGB(100, 100), 0);
  }

  @Test
  void mirrorFlipsLeftAndRight() {
    BufferedImage out = Edits.mirror(card);
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    assertNear(new Color(30, 200, 30), out.getRGB(W - 1 - 20, 20), 0);
    assertNear(new Color(30, 30, 200), out.getRGB(50, 100), 0);
    assertEquals(card.getRGB(0, 190), out.getRGB(W - 1, 190));
  }

  @Test
  void grayscaleIsOneChannelWithLuma() {
    BufferedImage out = Edits.grayscale(card);
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, out.getType());
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    int expected = (int) Math.round(0.299 * 200 + 0.587 * 30 + 0.114 * 30);
    assertEquals(expected, out.getRaster().getSample(100, 100, 0));
  }

  @Test
  void brightnessContrastFollowsTheFormulaAndClips() {
    BufferedImage out = Edits.brightnessContrast(card);
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    // 1.3 * (1.25 * 200 - 128) + 128 = 286.6 clips to 255; 1.3 * (1.25 * 30 - 128) + 128 = 10.35.
    assertNear(new Color(255, 10, 10), out.getRGB(100, 100), 1);
    Color black = new Color(out.getRGB(0, H - 1));
    assertEquals(0, black.getRed(), "black stays black after clipping");
  }

  @Test
  void blurSoftensTheEdgeButNotFlatAreas() {
    BufferedImage out = Edits.blur(card);
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    // ConvolveOp truncates instead of rounding: up to one level darker per pass, two passes.
    assertNear(new Color(200, 30, 30), out.getRGB(75, 100), 2);
    assertNear(new Color(200, 30, 30), out.getRGB(0, 100), 2);
    Color atEdge = new Color(out.getRGB(W / 2 - 1, 100));
    assertTrue(atEdge.getRed() < 190 && atEdge.getBlue() > 40, "the red-blue edge must be mixed, got " + atEdge);
  }

  @Test
  void captionCoversTheBottomFifthWithAnOpaqueBand() {
    BufferedImage out = Edits.caption(card, random);
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    assertEquals(card.getRGB(100, 100), out.getRGB(100, 100), "above the band nothing changes");
    Color band = new Color(out.getRGB(1, H - 2));
    assertTrue(band.getRed() < 64 && band.getGreen() < 64 && band.getBlue() < 64, "band must be dark, got " + band);
    assertEquals(out.getRGB(1, H - 2), out.getRGB(W - 2, H - 40), "the band is one colour at its edges");
    long white = 0;
    for (int y = H - 40; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if ((out.getRGB(x, y) & 0xffffff) == 0xffffff) {
          white++;
        }
      }
    }
    assertTrue(white > 50, "the band must hold white text, white pixels: " + white);
  }

  @Test
  void border15AddsFifteenPercentOnEachSide() {
    BufferedImage out = Edits.border15(card, random);
    assertEquals(W + 2 * 45, out.getWidth());
    assertEquals(H + 2 * 30, out.getHeight());
    int border = out.getRGB(0, 0);
    assertEquals(border, out.getRGB(out.getWidth() - 1, out.getHeight() - 1));
    assertEquals(border, out.getRGB(44, 29));
    assertEquals(card.getRGB(0, 0), out.getRGB(45, 30));
    assertEquals(card.getRGB(W - 1, H - 1), out.getRGB(45 + W - 1, 30 + H - 1));
  }

  @Test
  void crop50KeepsHalfTheAreaInsideTheImage() {
    for (int i = 0; i < 20; i++) {
      BufferedImage out = Edits.crop50(card, random);
      assertEquals(212, out.getWidth());
      assertEquals(141, out.getHeight());
      double area = (double) out.getWidth() * out.getHeight() / (W * H);
      assertEquals(0.5, area, 0.01);
    }
  }

  @Test
  void stretchWidensByThirtyPercent() {
    BufferedImage out = Edits.stretch(card);
    assertEquals(390, out.getWidth());
    assertEquals(H, out.getHeight());
    assertNear(new Color(200, 30, 30), out.getRGB(100, 100), 2);
  }

  @Test
  void everyEditEncodesADecodableJpeg() throws IOException {
    for (Edit edit : Edit.values()) {
      byte[] jpeg = edit.encode(card, new Random(seed));
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
      assertTrue(decoded != null && decoded.getWidth() > 0, edit + " must give a JPEG");
      assertEquals(edit, Edit.ofWireName(edit.wireName()));
    }
  }

  @Test
  void sameSeedSameBytes() {
    for (Edit edit : Edit.values()) {
      byte[] first = edit.encode(card, new Random(seed));
      byte[] second = edit.encode(card, new Random(seed));
      assertEquals(java.util.Arrays.hashCode(first), java.util.Arrays.hashCode(second), edit + " must be deterministic");
    }
  }

  @Test
  void editsLeaveTheInputAlone() {
    BufferedImage before = testCard();
    for (Edit edit : Edit.values()) {
      edit.apply(card, random);
    }
    assertEquals(0.0, meanAbsoluteDifference(before, card));
  }

  @Test
  void unknownEditNameIsRejectedWithTheName() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Edit.ofWireName("sepia"));
    assertEquals("unknown edit: sepia", e.getMessage());
  }

  private static void assertNear(Color expected, int actualRgb, int tolerance) {
    Color actual = new Color(actualRgb);
    boolean near = Math.abs(expected.getRed() - actual.getRed()) <= tolerance
        && Math.abs(expected.getGreen() - actual.getGreen()) <= tolerance
        && Math.abs(expected.getBlue() - actual.getBlue()) <= tolerance;
    assertTrue(near, "expected " + expected + " within " + tolerance + ", got " + actual);
  }

  private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
        }
      }
    }
    return (double) sum / (3.0 * a.getWidth() * a.getHeight());
  }
}
