package dev.loupe.bench;

import dev.loupe.testing.TestSeed;
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

/** Dimensions, determinism and basic pixel properties of every edit, on a generated 300x200 test card. */
class EditsTest {
  private static final int W = 300;
  private static final int H = 200;

  private long seed;
  private Random random;
  private BufferedImage card;

  @BeforeEach
  void setUp(TestInfo info) {
    seed = TestSeed.value();
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
  void crop30CornerKeepsThirtyPercentAtEachCorner() {
    BufferedImage bgr = Edits.toBgr(card);
    boolean[] seen = new boolean[4];
    for (int i = 0; i < 40; i++) {
      BufferedImage out = Edits.crop30Corner(card, random);
      assertEquals(164, out.getWidth());
      assertEquals(110, out.getHeight());
      assertEquals(0.3, (double) out.getWidth() * out.getHeight() / (W * H), 0.01);
      int corner = -1;
      for (int c = 0; c < 4; c++) {
        int x = (c & 1) == 0 ? 0 : W - out.getWidth();
        int y = (c & 2) == 0 ? 0 : H - out.getHeight();
        if (meanAbsoluteDifference(bgr.getSubimage(x, y, out.getWidth(), out.getHeight()), out) == 0) {
          corner = c;
        }
      }
      assertTrue(corner >= 0, "the crop must be the window at one corner");
      seen[corner] = true;
    }
    assertTrue(seen[0] && seen[1] && seen[2] && seen[3], "all four corners must come up in 40 draws");
  }

  @Test
  void crop30CentreKeepsThirtyPercentNearTheCentre() {
    BufferedImage bgr = Edits.toBgr(card);
    for (int i = 0; i < 20; i++) {
      BufferedImage out = Edits.crop30Centre(card, random);
      assertEquals(164, out.getWidth());
      assertEquals(110, out.getHeight());
      // Slack 136 x 90: the window starts at (68, 45) give or take a tenth of the slack.
      boolean found = false;
      for (int dy = -9; dy <= 9 && !found; dy++) {
        for (int dx = -13; dx <= 13 && !found; dx++) {
          found = meanAbsoluteDifference(bgr.getSubimage(68 + dx, 45 + dy, 164, 110), out) == 0;
        }
      }
      assertTrue(found, "the crop must be a window near the centre");
    }
  }

  @Test
  void rotateFreeAnglesAvoidTheQuarterTurns() {
    boolean negative = false;
    boolean positive = false;
    for (int i = 0; i < 2000; i++) {
      double angle = Edits.freeAngle(random);
      double a = Math.abs(angle);
      assertTrue((a >= 10 && a <= 80) || (a >= 100 && a <= 170), "angle out of range: " + angle);
      negative |= angle < 0;
      positive |= angle > 0;
    }
    assertTrue(negative && positive, "both directions must come up");
  }

  @Test
  void rotateFreeHoldsTheWholePictureOnAUniformFill() {
    for (int i = 0; i < 10; i++) {
      long s = random.nextLong();
      var replay = new Random(s);
      double radians = Math.toRadians(Edits.freeAngle(replay));
      Color fill = Edits.randomColour(replay);
      BufferedImage out = Edits.rotateFree(card, new Random(s));
      double sin = Math.abs(Math.sin(radians));
      double cos = Math.abs(Math.cos(radians));
      assertEquals((int) Math.ceil(W * cos + H * sin), out.getWidth());
      assertEquals((int) Math.ceil(W * sin + H * cos), out.getHeight());
      for (int[] corner : new int[][] {{0, 0}, {out.getWidth() - 1, 0}, {0, out.getHeight() - 1},
          {out.getWidth() - 1, out.getHeight() - 1}}) {
        assertEquals(fill.getRGB(), out.getRGB(corner[0], corner[1]), "the corners must be the fill colour");
      }
      // The centre of the card (the red-blue edge) stays at the centre.
      Color centre = new Color(out.getRGB(out.getWidth() / 2, out.getHeight() / 2));
      assertTrue(centre.getGreen() < 60 && centre.getRed() + centre.getBlue() > 180, "centre must be red or blue, got " + centre);
    }
  }

  @Test
  void homographyMapsTheFourCorners() {
    double[][] from = {{0, 0}, {100, 0}, {100, 50}, {0, 50}};
    double[][] to = {{10, 5}, {90, 8}, {95, 47}, {3, 44}};
    double[] m = Edits.homography(from, to);
    for (int i = 0; i < 4; i++) {
      double x = from[i][0];
      double y = from[i][1];
      double d = m[6] * x + m[7] * y + 1;
      assertEquals(to[i][0], (m[0] * x + m[1] * y + m[2]) / d, 1e-9);
      assertEquals(to[i][1], (m[3] * x + m[4] * y + m[5]) / d, 1e-9);
    }
  }

  @Test
  void perspectiveWarpsInsideASmallerCanvas() {
    for (int i = 0; i < 10; i++) {
      BufferedImage out = Edits.perspective(card, random);
      // Each side loses 5% to 15% at both ends, measured at the corners that stick out most.
      assertTrue(out.getWidth() >= W * 0.70 && out.getWidth() <= W * 0.90 + 1, "width " + out.getWidth());
      assertTrue(out.getHeight() >= H * 0.70 && out.getHeight() <= H * 0.90 + 1, "height " + out.getHeight());
      // The middle row still reads red on the left and blue on the right.
      assertNear(new Color(200, 30, 30), out.getRGB(out.getWidth() / 4, out.getHeight() / 2), 3);
      assertNear(new Color(30, 30, 200), out.getRGB(out.getWidth() * 3 / 4, out.getHeight() / 2), 3);
      // Not a plain resize: a quadrilateral leaves at least one corner of its bounding box empty,
      // filled with a random colour where a resize would show the card's own corner. (The pixel at
      // the top middle is no reference for the fill: with some warps it lies on the picture.)
      int[][] outCorners = {{0, 0}, {out.getWidth() - 1, 0}, {0, out.getHeight() - 1},
          {out.getWidth() - 1, out.getHeight() - 1}};
      int[][] cardCorners = {{0, 0}, {W - 1, 0}, {0, H - 1}, {W - 1, H - 1}};
      int unlikeTheCard = 0;
      for (int c = 0; c < 4; c++) {
        Color expected = new Color(card.getRGB(cardCorners[c][0], cardCorners[c][1]));
        Color actual = new Color(out.getRGB(outCorners[c][0], outCorners[c][1]));
        boolean same = Math.abs(expected.getRed() - actual.getRed()) <= 3
            && Math.abs(expected.getGreen() - actual.getGreen()) <= 3
            && Math.abs(expected.getBlue() - actual.getBlue()) <= 3;
        unlikeTheCard += same ? 0 : 1;
      }
      assertTrue(unlikeTheCard >= 1, "at least one corner of the canvas is fill, not the card's corner");
    }
  }

  @Test
  void caption25CoversAQuarterOfTheHeightAndAddsALogo() {
    boolean top = false;
    boolean bottom = false;
    for (int i = 0; i < 20; i++) {
      BufferedImage out = Edits.caption25(card, random);
      assertEquals(W, out.getWidth());
      assertEquals(H, out.getHeight());
      boolean atTop = new Color(out.getRGB(1, 0)).getRed() < 64;
      int edgeRow = atTop ? 0 : H - 1;
      int bandColour = out.getRGB(1, edgeRow);
      int rows = 0;
      for (int r = 0; r < H; r++) {
        int y = atTop ? r : H - 1 - r;
        if (out.getRGB(1, y) != bandColour || out.getRGB(W - 2, y) != bandColour) {
          break;
        }
        rows++;
      }
      assertTrue(rows >= Math.ceil(H * Edits.CAPTION25_MIN_BAND) && rows <= H * 0.31, "band rows: " + rows);
      top |= atTop;
      bottom |= !atTop;
      // Outside the band only the logo changes pixels, all within one corner box of the picture.
      int minX = W;
      int minY = H;
      int maxX = -1;
      int maxY = -1;
      int changed = 0;
      int pictureTop = atTop ? rows : 0;
      for (int y = pictureTop; y < pictureTop + H - rows; y++) {
        for (int x = 0; x < W; x++) {
          if (out.getRGB(x, y) != card.getRGB(x, y)) {
            changed++;
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
          }
        }
      }
      int logo = H / 8;
      assertTrue(changed > logo * logo / 3, "the logo must be drawn, changed pixels: " + changed);
      assertTrue(maxX - minX <= logo + 1 && maxY - minY <= logo + 1, "the logo is one small shape");
      boolean nearLeft = minX <= H / 30 + 1;
      boolean nearRight = maxX >= W - 1 - H / 30 - 1;
      boolean nearTop = minY <= pictureTop + H / 30 + 1;
      boolean nearBottom = maxY >= pictureTop + H - rows - 1 - H / 30 - 1;
      assertTrue((nearLeft || nearRight) && (nearTop || nearBottom), "the logo sits in a corner of the picture");
    }
    assertTrue(top && bottom, "the band must come up at the top and at the bottom");
  }

  @Test
  void screenshotFramesThePictureInFiftyFiveToSeventyFivePercent() {
    boolean phone = false;
    boolean browser = false;
    for (int i = 0; i < 30; i++) {
      long s = random.nextLong();
      Edits.ScreenshotLayout layout = Edits.screenshotLayout(W, H, new Random(s));
      BufferedImage out = Edits.screenshot(card, new Random(s));
      assertEquals(layout.width(), out.getWidth());
      assertEquals(layout.height(), out.getHeight());
      assertTrue(layout.pictureShare() >= 0.55 && layout.pictureShare() <= 0.75, "share " + layout.pictureShare());
      double factor = (double) layout.pictureWidth() / W;
      assertTrue(factor >= 0.69 && factor <= 0.91, "the picture is scaled down a little: " + factor);
      assertTrue(layout.pictureX() + layout.pictureWidth() <= out.getWidth()
          && layout.pictureY() + layout.pictureHeight() <= out.getHeight(), "the picture fits");
      int px = layout.pictureX();
      int py = layout.pictureY();
      int pw = layout.pictureWidth();
      int ph = layout.pictureHeight();
      assertNear(new Color(200, 30, 30), out.getRGB(px + pw / 4, py + ph / 2), 3);
      assertNear(new Color(30, 30, 200), out.getRGB(px + pw * 3 / 4, py + ph / 2), 3);
      assertNear(new Color(30, 200, 30), out.getRGB(px + pw * 30 / W, py + ph * 30 / H), 3);
      // The frame is not empty: the bars above the picture hold more than one colour.
      java.util.Set<Integer> colours = new java.util.HashSet<>();
      for (int y = 0; y < layout.top(); y++) {
        for (int x = 0; x < out.getWidth(); x++) {
          colours.add(out.getRGB(x, y));
        }
      }
      assertTrue(colours.size() > 5, "the bars must be drawn");
      phone |= layout.phone();
      browser |= !layout.phone();
    }
    assertTrue(phone && browser, "both frames must come up");
  }

  @Test
  void comboCropsSixtyPercentHalvesAndRecompresses() throws IOException {
    BufferedImage out = Edits.combo(card, new Random(seed));
    // A window of 232 x 155 (60% of the area), halved.
    assertEquals(116, out.getWidth());
    assertEquals(77, out.getHeight());
    byte[] file = Edit.COMBO.encode(card, new Random(seed));
    assertEquals(Edits.COMBO_QUALITY, Edit.COMBO.quality());
    BufferedImage decoded = Edits.toBgr(ImageIO.read(new ByteArrayInputStream(file)));
    assertEquals(0.0, meanAbsoluteDifference(out, decoded), "the query file is the one JPEG round trip");
    BufferedImage geometry = Edits.comboGeometry(card, new Random(seed));
    assertTrue(meanAbsoluteDifference(geometry, out) > 0.3, "quality 40 must change pixels");
  }

  @Test
  void crop20CornerKeepsTwentyPercentAtACorner() {
    BufferedImage bgr = Edits.toBgr(card);
    for (int i = 0; i < 8; i++) {
      BufferedImage out = Edits.crop20Corner(card, random);
      assertEquals(0.2, (double) out.getWidth() * out.getHeight() / (W * H), 0.01);
      boolean atACorner = false;
      for (int c = 0; c < 4; c++) {
        int x = (c & 1) == 0 ? 0 : W - out.getWidth();
        int y = (c & 2) == 0 ? 0 : H - out.getHeight();
        atACorner |= meanAbsoluteDifference(bgr.getSubimage(x, y, out.getWidth(), out.getHeight()), out) == 0;
      }
      assertTrue(atACorner, "the crop must be the window at one corner");
    }
  }

  @Test
  void collagePutsTheSourceInOneCellAndFillersInTheOthers() {
    var filler = new BufferedImage(400, 300, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = filler.createGraphics();
    g.setColor(new Color(250, 220, 0));
    g.fillRect(0, 0, 400, 300);
    g.dispose();
    BufferedImage out = Edits.collage(card, java.util.List.of(filler), random);
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
    int gutter = (int) Math.round(H * Edits.COLLAGE_GUTTER);
    int cellW = (W - 3 * gutter) / 2;
    int cellH = (H - 3 * gutter) / 2;
    BufferedImage scaledCard = Edits.scale(card, cellW, cellH);
    int own = 0;
    for (int cell = 0; cell < 4; cell++) {
      int x = gutter + (cell & 1) * (cellW + gutter);
      int y = gutter + (cell >> 1) * (cellH + gutter);
      BufferedImage got = out.getSubimage(x, y, cellW, cellH);
      if (meanAbsoluteDifference(got, scaledCard) < 8) {
        own++;
      } else {
        assertNear(new Color(250, 220, 0), got.getRGB(cellW / 2, cellH / 2), 2);
      }
    }
    assertEquals(1, own, "the source fills exactly one cell");
  }

  @Test
  void collageWithoutFillersDrawsShapes() {
    BufferedImage out = Edits.collage(card, java.util.List.of(), random);
    assertEquals(W, out.getWidth());
    assertEquals(H, out.getHeight());
  }

  @Test
  void rotate45InnerKeepsTheAspectAndNoFill() {
    var white = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.dispose();
    BufferedImage out = Edits.rotate45Inner(white, random);
    assertEquals((double) W / H, (double) out.getWidth() / out.getHeight(), 0.05);
    // 3:2 turned by 45 degrees: the inner rectangle is 2 * 1.5 * 200 / (sqrt 2 * 2.5) = 169.7 wide, less two pixels of edge.
    assertEquals(167, out.getWidth());
    for (int y = 0; y < out.getHeight(); y += 7) {
      for (int x = 0; x < out.getWidth(); x += 7) {
        assertNear(Color.WHITE, out.getRGB(x, y), 40);
      }
    }
  }

  @Test
  void memeWritesOutlinedLinesAtTopAndBottomOnly() {
    BufferedImage bgr = Edits.toBgr(card);
    BufferedImage out = Edits.meme(card, random);
    int topRows = 0;
    int middleRows = 0;
    int bottomRows = 0;
    for (int y = 0; y < H; y++) {
      boolean changed = meanAbsoluteDifference(bgr.getSubimage(0, y, W, 1), out.getSubimage(0, y, W, 1)) > 0;
      if (changed && y < H / 5) {
        topRows++;
      } else if (changed && y >= H * 4 / 5) {
        bottomRows++;
      } else if (changed) {
        middleRows++;
      }
    }
    assertTrue(topRows > 5 && bottomRows > 5, "text at the top and bottom: " + topRows + ", " + bottomRows);
    assertEquals(0, middleRows, "the middle of the picture stays as it was");
  }

  @Test
  void overlay15CoversFifteenPercent() {
    var black = new BufferedImage(100, 100, BufferedImage.TYPE_3BYTE_BGR);
    var white = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = white.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.dispose();
    for (int i = 0; i < 5; i++) {
      BufferedImage out = Edits.overlay15(white, java.util.List.of(black), random);
      int covered = 0;
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          covered += (out.getRGB(x, y) & 0xff) < 128 ? 1 : 0;
        }
      }
      assertEquals(0.15, (double) covered / (W * H), 0.01);
    }
  }

  @Test
  void everyEditGivesBgrButGrayscaleGivesGray() {
    for (Edit edit : Edit.values()) {
      BufferedImage out = edit.apply(card, new Random(seed));
      int expected = edit == Edit.GRAYSCALE ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
      assertEquals(expected, out.getType(), edit + " image type");
      assertTrue(out.getWidth() > 0 && out.getHeight() > 0, edit + " size");
    }
  }

  @Test
  void everyEditCopesWithATinyImage() {
    BufferedImage tiny = Edits.scale(card, 24, 16);
    for (Edit edit : Edit.values()) {
      BufferedImage out = edit.apply(tiny, new Random(seed));
      assertTrue(out.getWidth() > 0 && out.getHeight() > 0, edit + " on 24x16");
    }
  }

  @Test
  void queriesAreQuality90ButJpeg15AndCombo() {
    for (Edit edit : Edit.values()) {
      int expected = switch (edit) {
        case JPEG15 -> 15;
        case COMBO -> 40;
        default -> 90;
      };
      assertEquals(expected, edit.quality(), edit.wireName());
    }
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
