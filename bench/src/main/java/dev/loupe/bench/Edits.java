package dev.loupe.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.awt.image.RescaleOp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The image edits of the quality benchmark, one static method per edit, plus the JPEG and scaling
 * primitives they share.
 *
 * <p>Every edit takes any {@link BufferedImage} and returns a new {@code TYPE_3BYTE_BGR} image
 * (except {@link #grayscale}, which returns {@code TYPE_BYTE_GRAY}); the input is never modified.
 * Edits that need a choice (a colour, a position, a caption) take a {@link Random} and draw from it
 * in a fixed order, so one seeded generator reproduces a whole data set. The methods are stateless
 * and thread-safe as long as each thread passes its own {@code Random}.
 *
 * <p>Cost: linear in the pixel count; {@link #blur} is the most expensive (two 13-tap passes),
 * about 100 ms for 2 MP.
 */
public final class Edits {
  /** Gaussian sigma of {@link #blur}, in pixels of the edited image. */
  public static final double BLUR_SIGMA = 2.0;

  /** Smallest share of the height that the band of {@link #caption25} covers. */
  public static final double CAPTION25_MIN_BAND = 0.25;

  /** JPEG quality of {@link #combo} and of its query file. */
  public static final int COMBO_QUALITY = 40;

  private static final String[] CAPTION_WORDS = {
    "when", "the", "weekend", "finally", "arrives", "me", "every", "monday", "breaking", "news",
    "nobody", "expects", "this", "view", "from", "my", "window", "today", "best", "trip", "ever"
  };

  private Edits() {}

  /** Encodes with JPEG quality 15 and decodes again: the blocky look of a heavily recompressed copy. */
  public static BufferedImage jpeg15(BufferedImage src) {
    return decodeJpeg(jpeg(src, 15));
  }

  /** Scales to 25% of the area (half of each side), with area averaging. */
  public static BufferedImage downscale25(BufferedImage src) {
    return scale(src, Math.max(1, src.getWidth() / 2), Math.max(1, src.getHeight() / 2));
  }

  /** Rotates 90 degrees clockwise: the width becomes the height. */
  public static BufferedImage rotate90(BufferedImage src) {
    BufferedImage bgr = toBgr(src);
    int w = bgr.getWidth();
    int h = bgr.getHeight();
    var out = new BufferedImage(h, w, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out.setRGB(h - 1 - y, x, bgr.getRGB(x, y));
      }
    }
    return out;
  }

  /** Mirrors left to right. */
  public static BufferedImage mirror(BufferedImage src) {
    BufferedImage bgr = toBgr(src);
    int w = bgr.getWidth();
    var out = new BufferedImage(w, bgr.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    int[] row = new int[w];
    int[] flipped = new int[w];
    for (int y = 0; y < bgr.getHeight(); y++) {
      bgr.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        flipped[w - 1 - x] = row[x];
      }
      out.setRGB(0, y, w, 1, flipped, 0, w);
    }
    return out;
  }

  /**
   * Converts to one 8-bit grey channel with the Rec. 601 luma weights that JPEG and most editors
   * use, returned as {@code TYPE_BYTE_GRAY} because real grayscale copies are single-channel files.
   */
  public static BufferedImage grayscale(BufferedImage src) {
    BufferedImage bgr = toBgr(src);
    int w = bgr.getWidth();
    int h = bgr.getHeight();
    var out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    var raster = out.getRaster();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      bgr.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int r = (p >> 16) & 0xff;
        int g = (p >> 8) & 0xff;
        int b = p & 0xff;
        raster.setSample(x, y, 0, (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b));
      }
    }
    return out;
  }

  /**
   * Brightens by 25% and raises contrast by a factor of 1.3 around mid-grey, clipping at 0 and 255:
   * {@code v' = 1.3 * (1.25 * v - 128) + 128}, the order a user applies the two sliders in.
   */
  public static BufferedImage brightnessContrast(BufferedImage src) {
    float scale = 1.25f * 1.3f;
    float offset = 128f * (1f - 1.3f);
    // RescaleOp clamps to the 0..255 range of each band, which is the clipping we want.
    return new RescaleOp(scale, offset, null).filter(toBgr(src), null);
  }

  /**
   * Gaussian blur with sigma {@value #BLUR_SIGMA}, as two separable {@link ConvolveOp} passes over
   * an edge-replicated copy, so borders blur like the middle instead of staying sharp. ConvolveOp
   * truncates rather than rounds, so flat areas may come out up to two levels darker.
   */
  public static BufferedImage blur(BufferedImage src) {
    int radius = (int) Math.ceil(3 * BLUR_SIGMA);
    float[] weights = new float[2 * radius + 1];
    float sum = 0;
    for (int i = -radius; i <= radius; i++) {
      weights[i + radius] = (float) Math.exp(-(i * i) / (2 * BLUR_SIGMA * BLUR_SIGMA));
      sum += weights[i + radius];
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= sum;
    }
    BufferedImage padded = padReplicate(toBgr(src), radius);
    var horizontal = new ConvolveOp(new Kernel(weights.length, 1, weights), ConvolveOp.EDGE_NO_OP, null);
    var vertical = new ConvolveOp(new Kernel(1, weights.length, weights), ConvolveOp.EDGE_NO_OP, null);
    BufferedImage blurred = vertical.filter(horizontal.filter(padded, null), null);
    return copy(blurred.getSubimage(radius, radius, src.getWidth(), src.getHeight()));
  }

  /**
   * Covers the bottom 20% of the image with an opaque band in a dark random colour and writes a
   * random line of words on it in white, like a meme or a captioned news still.
   */
  public static BufferedImage caption(BufferedImage src, Random random) {
    BufferedImage out = copy(toBgr(src));
    int h = out.getHeight();
    int band = Math.max(1, Math.round(h * 0.2f));
    String line = captionLine(random);
    var colour = new Color(random.nextInt(64), random.nextInt(64), random.nextInt(64));
    Graphics2D g = out.createGraphics();
    try {
      drawBand(g, 0, h - band, out.getWidth(), band, colour, line);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * A heavier caption: an opaque band over {@value #CAPTION25_MIN_BAND} to 0.30 of the height, at
   * the top or the bottom (random), in a dark random colour with a random line of white words, plus
   * an opaque logo (a coloured circle, rounded square or diamond with two or three letters, about
   * an eighth of the short side) in a random corner of the part of the picture the band leaves
   * visible. Random draws, in order: the band's side and height, the words, the colour, the logo's
   * corner, shape, colour and letters.
   */
  public static BufferedImage caption25(BufferedImage src, Random random) {
    BufferedImage out = copy(toBgr(src));
    int w = out.getWidth();
    int h = out.getHeight();
    boolean top = random.nextBoolean();
    int band = Math.min(h, (int) Math.ceil(h * random.nextDouble(CAPTION25_MIN_BAND, 0.30)));
    String line = captionLine(random);
    var colour = new Color(random.nextInt(64), random.nextInt(64), random.nextInt(64));
    int pictureTop = top ? band : 0;
    int pictureHeight = h - band;
    Graphics2D g = out.createGraphics();
    try {
      drawBand(g, 0, top ? 0 : h - band, w, band, colour, line);
      int size = Math.max(8, Math.min(w, h) / 8);
      int margin = Math.max(1, Math.min(w, h) / 30);
      int corner = random.nextInt(4);
      int x = (corner & 1) == 0 ? margin : w - margin - size;
      int y = (corner & 2) == 0 ? pictureTop + margin : pictureTop + pictureHeight - margin - size;
      drawLogo(g, Math.max(0, x), Math.max(0, y), size, random);
    } finally {
      g.dispose();
    }
    return out;
  }
  /** Adds a uniform border of 15% of the width (left, right) and height (top, bottom) in a random colour. */
  public static BufferedImage border15(BufferedImage src, Random random) {
    int w = src.getWidth();
    int h = src.getHeight();
    int bx = Math.round(w * 0.15f);
    int by = Math.round(h * 0.15f);
    Color colour = randomColour(random);
    var out = new BufferedImage(w + 2 * bx, h + 2 * by, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(colour);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.drawImage(src, bx, by, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * Crops a window keeping 50% of the area (each side times sqrt(0.5)), with the same aspect ratio,
   * placed at the centre shifted by up to a fifth of the slack in each direction.
   */
  public static BufferedImage crop50(BufferedImage src, Random random) {
    return centredCrop(src, 0.5, 5, random);
  }

  /**
   * Crops a window keeping 30% of the area (each side times sqrt(0.3)), with the same aspect ratio,
   * anchored at one of the four corners chosen at random.
   */
  public static BufferedImage crop30Corner(BufferedImage src, Random random) {
    return cornerCrop(src, 0.3, random);
  }

  /**
   * Crops a window keeping 20% of the area (each side times sqrt(0.2)), with the same aspect ratio,
   * anchored at one of the four corners chosen at random: a detail cut from a larger picture.
   */
  public static BufferedImage crop20Corner(BufferedImage src, Random random) {
    return cornerCrop(src, 0.2, random);
  }

  private static BufferedImage cornerCrop(BufferedImage src, double area, Random random) {
    int w = src.getWidth();
    int h = src.getHeight();
    int cw = cropSide(w, area);
    int ch = cropSide(h, area);
    int corner = random.nextInt(4);
    int x = (corner & 1) == 0 ? 0 : w - cw;
    int y = (corner & 2) == 0 ? 0 : h - ch;
    return copy(toBgr(src).getSubimage(x, y, cw, ch));
  }

  /**
   * Crops a window keeping 30% of the area, with the same aspect ratio, at the centre shifted by up
   * to a tenth of the slack in each direction.
   */
  public static BufferedImage crop30Centre(BufferedImage src, Random random) {
    return centredCrop(src, 0.3, 10, random);
  }

  /**
   * Rotates by an angle drawn uniformly from [10, 80] and [100, 170] degrees, clockwise or
   * anticlockwise at random, onto a canvas that holds the whole rotated picture; the corners are
   * filled with a random uniform colour. Random draws: the angle, its sign, the colour.
   */
  public static BufferedImage rotateFree(BufferedImage src, Random random) {
    double degrees = freeAngle(random);
    return rotate(src, degrees, randomColour(random));
  }

  /**
   * The angle of {@link #rotateFree}: uniform over [10, 80] and [100, 170] degrees (70 degrees
   * each), negative half of the time.
   */
  static double freeAngle(Random random) {
    double u = random.nextDouble(0, 140);
    double degrees = u < 70 ? 10 + u : 100 + (u - 70);
    return random.nextBoolean() ? degrees : -degrees;
  }

  /**
   * A projective warp, as when a picture on a screen or a print is photographed at an angle: each
   * corner moves inwards by a random 5% to 15% of the width horizontally and of the height
   * vertically (eight independent draws, top left, top right, bottom right, bottom left, x before
   * y). The output is the bounding box of the moved corners; outside the warped picture it is a
   * random uniform colour (drawn last). Inverse mapping with bilinear sampling.
   */
  public static BufferedImage perspective(BufferedImage src, Random random) {
    int w = src.getWidth();
    int h = src.getHeight();
    double[][] corners = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    double[][] moved = new double[4][2];
    for (int i = 0; i < 4; i++) {
      double dx = random.nextDouble(0.05, 0.15) * w;
      double dy = random.nextDouble(0.05, 0.15) * h;
      moved[i][0] = corners[i][0] + (i == 0 || i == 3 ? dx : -dx);
      moved[i][1] = corners[i][1] + (i < 2 ? dy : -dy);
    }
    Color fill = randomColour(random);
    return warp(toBgr(src), moved, fill);
  }

  /**
   * Draws {@code src} with its corners (top left, top right, bottom right, bottom left) at
   * {@code moved}, on the bounding box of {@code moved}, filled with {@code fill} elsewhere.
   */
  static BufferedImage warp(BufferedImage src, double[][] moved, Color fill) {
    int w = src.getWidth();
    int h = src.getHeight();
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (double[] p : moved) {
      minX = Math.min(minX, p[0]);
      minY = Math.min(minY, p[1]);
      maxX = Math.max(maxX, p[0]);
      maxY = Math.max(maxY, p[1]);
    }
    int ox = (int) Math.floor(minX);
    int oy = (int) Math.floor(minY);
    int ow = Math.max(1, (int) Math.ceil(maxX) - ox);
    int oh = Math.max(1, (int) Math.ceil(maxY) - oy);
    double[][] target = new double[4][];
    for (int i = 0; i < 4; i++) {
      target[i] = new double[] {moved[i][0] - ox, moved[i][1] - oy};
    }
    // Output pixel -> source pixel: the homography from the moved corners to the source corners.
    double[] inverse = homography(target, new double[][] {{0, 0}, {w, 0}, {w, h}, {0, h}});
    byte[] in = ((java.awt.image.DataBufferByte) src.getRaster().getDataBuffer()).getData();
    var out = new BufferedImage(ow, oh, BufferedImage.TYPE_3BYTE_BGR);
    byte[] pixels = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
    int[] fillBgr = {fill.getBlue(), fill.getGreen(), fill.getRed()};
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        double px = x + 0.5;
        double py = y + 0.5;
        double d = inverse[6] * px + inverse[7] * py + 1;
        double sx = (inverse[0] * px + inverse[1] * py + inverse[2]) / d - 0.5;
        double sy = (inverse[3] * px + inverse[4] * py + inverse[5]) / d - 0.5;
        int o = 3 * (y * ow + x);
        if (sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5) {
          for (int c = 0; c < 3; c++) {
            pixels[o + c] = (byte) fillBgr[c];
          }
          continue;
        }
        int x0 = Math.clamp((long) Math.floor(sx), 0, w - 1);
        int y0 = Math.clamp((long) Math.floor(sy), 0, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        int y1 = Math.min(y0 + 1, h - 1);
        double fx = Math.clamp(sx - x0, 0, 1);
        double fy = Math.clamp(sy - y0, 0, 1);
        for (int c = 0; c < 3; c++) {
          double top = (in[3 * (y0 * w + x0) + c] & 0xff) * (1 - fx) + (in[3 * (y0 * w + x1) + c] & 0xff) * fx;
          double bottom = (in[3 * (y1 * w + x0) + c] & 0xff) * (1 - fx) + (in[3 * (y1 * w + x1) + c] & 0xff) * fx;
          pixels[o + c] = (byte) Math.round(top * (1 - fy) + bottom * fy);
        }
      }
    }
    return out;
  }

  /**
   * The homography that maps each {@code from[i]} to {@code to[i]}: the first eight entries of its
   * 3x3 matrix, row by row, the ninth being 1; Gaussian elimination on the usual 8x8 system.
   */
  static double[] homography(double[][] from, double[][] to) {
    double[][] a = new double[8][9];
    for (int i = 0; i < 4; i++) {
      double x = from[i][0];
      double y = from[i][1];
      double u = to[i][0];
      double v = to[i][1];
      a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
      a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    }
    for (int col = 0; col < 8; col++) {
      int pivot = col;
      for (int r = col + 1; r < 8; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] t = a[col];
      a[col] = a[pivot];
      a[pivot] = t;
      if (Math.abs(a[col][col]) < 1e-12) {
        throw new IllegalArgumentException("degenerate corners: three of them are on one line");
      }
      for (int r = 0; r < 8; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int k = col; k < 9; k++) {
            a[r][k] -= f * a[col][k];
          }
        }
      }
    }
    double[] hm = new double[8];
    for (int i = 0; i < 8; i++) {
      hm[i] = a[i][8] / a[i][i];
    }
    return hm;
  }

  /**
   * Where {@link #screenshot} puts things, in pixels of the screenshot.
   *
   * @param phone a phone frame (status bar, app header, navigation bar) rather than a browser
   *     window (title bar, address bar, toolbar, side panel)
   * @param width the screenshot's width
   * @param height the screenshot's height
   * @param pictureX left edge of the picture
   * @param pictureY top edge of the picture
   * @param pictureWidth the picture's width, the source's scaled down
   * @param pictureHeight the picture's height
   * @param top height of the bars above the picture
   * @param bottom height of the bar at the bottom (phones only, else 0)
   * @param side width of the side area (browser: a panel on one side; phone: split left and right)
   * @param sideLeft whether a browser's side panel is on the left
   * @param textTop top of the text lines under the picture
   * @param textBottom bottom of the text lines under the picture
   */
  record ScreenshotLayout(boolean phone, int width, int height, int pictureX, int pictureY, int pictureWidth,
      int pictureHeight, int top, int bottom, int side, boolean sideLeft, int textTop, int textBottom) {
    /** The share of the screenshot's area that the picture covers. */
    double pictureShare() {
      return (double) pictureWidth * pictureHeight / ((double) width * height);
    }
  }

  /**
   * Puts the picture into a fake screenshot: one time in two a browser window (title bar with a
   * tab, address bar with a URL, toolbar, a side panel of thumbnails and text on the left or right,
   * lines of text under the picture), otherwise a phone (status bar with the time and a battery,
   * app header, lines of comments under the picture, navigation bar), in a light or a dark theme.
   * The picture is scaled down to 70% to 90% of each side and covers 56% to 74% of the
   * screenshot's area (drawn in that range so that rounding keeps it within 55% to 75%).
   */
  public static BufferedImage screenshot(BufferedImage src, Random random) {
    ScreenshotLayout l = screenshotLayout(src.getWidth(), src.getHeight(), random);
    boolean dark = random.nextBoolean();
    Color background = dark ? new Color(32, 33, 36) : new Color(248, 249, 250);
    Color chrome = dark ? new Color(53, 54, 58) : new Color(222, 225, 230);
    Color text = dark ? new Color(200, 200, 205) : new Color(60, 64, 67);
    var out = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(background);
      g.fillRect(0, 0, l.width(), l.height());
      int unit = Math.max(4, Math.min(l.pictureWidth(), l.pictureHeight()) / 40);
      if (l.phone()) {
        drawPhoneChrome(g, l, chrome, text, unit, random);
      } else {
        drawBrowserChrome(g, l, chrome, text, unit, random);
      }
      drawTextLines(g, l.pictureX(), l.textTop() + unit, l.pictureWidth(), l.textBottom() - unit, text, unit, random);
      g.drawImage(scale(src, l.pictureWidth(), l.pictureHeight()), l.pictureX(), l.pictureY(), null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** The layout of {@link #screenshot} for a source of {@code w} x {@code h}; draws from {@code random} first. */
  static ScreenshotLayout screenshotLayout(int w, int h, Random random) {
    boolean phone = random.nextBoolean();
    double factor = random.nextDouble(0.70, 0.90);
    double share = random.nextDouble(0.56, 0.74);
    int pw = Math.max(1, (int) Math.round(w * factor));
    int ph = Math.max(1, (int) Math.round(h * factor));
    int d = Math.min(pw, ph);
    int margin = Math.max(2, Math.round(d * 0.02f));
    int top = Math.max(8, Math.round(d * (phone ? 0.09f : 0.10f)));
    int bottom = phone ? Math.max(4, Math.round(d * 0.05f)) : 0;
    int w0 = pw + 2 * margin;
    int h0 = ph + top + bottom + 2 * margin;
    double area = (double) pw * ph / share;
    // The frame alone covers less than area (its bars are thin), so grow it: the side area takes
    // a share of the growth (browsers a side panel, phones only a little), the text lines the rest.
    double grow = Math.max(1, area / ((double) w0 * h0));
    double towardsSide = phone ? random.nextDouble(0, 0.15) : random.nextDouble(0.3, 0.6);
    boolean sideLeft = random.nextBoolean();
    int width = (int) Math.round(w0 * Math.pow(grow, towardsSide));
    int height = Math.max(h0, (int) Math.round(area / width));
    int side = width - w0;
    int pictureX = margin + (phone ? side / 2 : sideLeft ? side : 0);
    int pictureY = top + margin;
    return new ScreenshotLayout(phone, width, height, pictureX, pictureY, pw, ph, top, bottom, side, sideLeft,
        pictureY + ph, height - bottom - margin);
  }

  private static void drawBrowserChrome(Graphics2D g, ScreenshotLayout l, Color chrome, Color text, int unit, Random random) {
    int titleBar = Math.round(l.top() * 0.35f);
    int addressBar = Math.round(l.top() * 0.40f);
    int toolbar = l.top() - titleBar - addressBar;
    g.setColor(chrome.darker());
    g.fillRect(0, 0, l.width(), titleBar);
    Color[] buttons = {new Color(237, 106, 94), new Color(245, 191, 79), new Color(98, 197, 84)};
    int dot = Math.max(3, titleBar / 2);
    for (int i = 0; i < 3; i++) {
      g.setColor(buttons[i]);
      g.fillOval(dot + i * dot * 3 / 2, (titleBar - dot) / 2, dot, dot);
    }
    int tabX = dot * 6;
    int tabWidth = Math.min(l.width() / 3, unit * 40);
    g.setColor(chrome);
    g.fillRoundRect(tabX, titleBar / 6, tabWidth, titleBar, unit, unit);
    g.setColor(text);
    drawFitted(g, words(random, 2 + random.nextInt(3)), tabX + unit, titleBar / 6, tabWidth - 2 * unit, titleBar * 5 / 6);
    g.setColor(chrome);
    g.fillRect(0, titleBar, l.width(), addressBar + toolbar);
    g.setColor(chrome.brighter());
    int field = Math.max(2, addressBar * 3 / 4);
    g.fillRoundRect(unit * 8, titleBar + (addressBar - field) / 2, l.width() - unit * 12, field, field, field);
    g.setColor(text);
    String url = "https://www." + CAPTION_WORDS[random.nextInt(CAPTION_WORDS.length)] + ".example/"
        + CAPTION_WORDS[random.nextInt(CAPTION_WORDS.length)] + "/" + (1000 + random.nextInt(9000));
    drawFitted(g, url, unit * 9, titleBar + (addressBar - field) / 2, l.width() - unit * 14, field);
    for (int i = 0; i < 3; i++) {
      g.fillOval(unit + i * unit * 2, titleBar + addressBar / 2 - unit / 2, unit, unit);
    }
    int x = unit;
    while (x + unit * 8 < l.width()) {
      g.fillRect(x, titleBar + addressBar + toolbar / 4, Math.max(2, toolbar / 2), Math.max(2, toolbar / 2));
      g.drawString(CAPTION_WORDS[random.nextInt(CAPTION_WORDS.length)], x + toolbar, titleBar + addressBar + toolbar * 3 / 4);
      x += unit * 8 + random.nextInt(unit * 4);
    }
    if (l.side() > 2 * unit) {
      int panelX = l.sideLeft() ? 0 : l.width() - l.side();
      int y = l.top() + unit;
      while (y + 3 * unit < l.height()) {
        g.setColor(randomColour(random));
        int thumb = Math.min(3 * unit, l.side() / 3);
        g.fillRect(panelX + unit, y, thumb, thumb);
        drawTextLines(g, panelX + 2 * unit + thumb, y, l.side() - 3 * unit - thumb, y + thumb, text, Math.max(3, unit * 2 / 3), random);
        y += thumb + unit;
      }
    }
  }

  private static void drawPhoneChrome(Graphics2D g, ScreenshotLayout l, Color chrome, Color text, int unit, Random random) {
    int status = Math.round(l.top() * 0.45f);
    int header = l.top() - status;
    g.setColor(text);
    drawFitted(g, String.format(Locale.ROOT, "%d:%02d", 1 + random.nextInt(12), random.nextInt(60)), unit, 0, unit * 8, status);
    int battery = Math.max(4, status / 2);
    g.drawRect(l.width() - unit - battery * 2, (status - battery) / 2, battery * 2, battery);
    g.fillRect(l.width() - unit - battery * 2, (status - battery) / 2, battery * (1 + random.nextInt(10)) / 5, battery);
    for (int i = 0; i < 4; i++) {
      int bar = battery * (i + 1) / 4;
      g.fillRect(l.width() - unit * 3 - battery * 4 + i * unit, (status + battery) / 2 - bar, Math.max(1, unit / 2), bar);
    }
    g.setColor(chrome);
    g.fillRect(0, status, l.width(), header);
    g.setColor(randomColour(random));
    int avatar = Math.max(3, header * 2 / 3);
    g.fillOval(unit, status + (header - avatar) / 2, avatar, avatar);
    g.setColor(text);
    drawFitted(g, words(random, 1 + random.nextInt(2)), 2 * unit + avatar, status, l.width() / 2, header);
    g.setColor(chrome);
    int navTop = l.height() - l.bottom();
    g.fillRect(0, navTop, l.width(), l.bottom());
    g.setColor(text);
    int icon = Math.max(3, l.bottom() / 2);
    int iconY = navTop + (l.bottom() - icon) / 2;
    int third = l.width() / 3;
    g.fillPolygon(new int[] {third / 2 + icon, third / 2 + icon, third / 2}, new int[] {iconY, iconY + icon, iconY + icon / 2}, 3);
    g.drawOval(third + third / 2 - icon / 2, iconY, icon, icon);
    g.drawRect(2 * third + third / 2 - icon / 2, iconY, icon, icon);
  }

  /** Lines of random words from {@code top} down to {@code bottom}, in {@code colour}, each within {@code width}. */
  private static void drawTextLines(Graphics2D g, int x, int top, int width, int bottom, Color colour, int size, Random random) {
    if (width < size || bottom - top < size) {
      return;
    }
    g.setColor(colour);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
    int ascent = g.getFontMetrics().getAscent();
    int lineHeight = size * 8 / 5;
    for (int y = top; y + lineHeight <= bottom; y += lineHeight) {
      String line = words(random, 3 + random.nextInt(10));
      while (line.length() > 1 && g.getFontMetrics().stringWidth(line) > width) {
        line = line.substring(0, line.length() - 1);
      }
      g.drawString(line, x, y + ascent);
    }
  }

  /** Draws {@code line} left-aligned and vertically centred in a box, shrinking the font so that it fits. */
  private static void drawFitted(Graphics2D g, String line, int x, int y, int width, int height) {
    int size = Math.max(6, height * 3 / 5);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
    while (size > 6 && g.getFontMetrics().stringWidth(line) > width) {
      size--;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
    }
    var metrics = g.getFontMetrics();
    g.drawString(line, x, y + (height - metrics.getHeight()) / 2 + metrics.getAscent());
  }

  private static String words(Random random, int count) {
    var text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : " ").append(CAPTION_WORDS[random.nextInt(CAPTION_WORDS.length)]);
    }
    return text.toString();
  }

  /**
   * Crops a window keeping 60% of the area at a random position, halves each side and keeps the
   * result of a round trip through JPEG quality {@value #COMBO_QUALITY}: a cropped, shrunk and
   * recompressed copy, the way reposts degrade.
   */
  public static BufferedImage combo(BufferedImage src, Random random) {
    return decodeJpeg(jpeg(comboGeometry(src, random), COMBO_QUALITY));
  }

  /** The crop and downscale of {@link #combo}, before its JPEG round trip. */
  static BufferedImage comboGeometry(BufferedImage src, Random random) {
    int w = src.getWidth();
    int h = src.getHeight();
    int cw = cropSide(w, 0.6);
    int ch = cropSide(h, 0.6);
    int x = random.nextInt(w - cw + 1);
    int y = random.nextInt(h - ch + 1);
    BufferedImage crop = toBgr(src).getSubimage(x, y, cw, ch);
    return scale(crop, Math.max(1, cw / 2), Math.max(1, ch / 2));
  }

  /** Stretches the width by 1.3 and keeps the height: a changed aspect ratio. */
  public static BufferedImage stretch(BufferedImage src) {
    return scale(src, Math.round(src.getWidth() * 1.3f), src.getHeight());
  }

  /** Encodes as baseline JPEG with the given quality (1 to 100), 4:2:0 chroma as most encoders do. */
  public static byte[] jpeg(BufferedImage image, int quality) {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("quality must be in 1..100, got: " + quality);
    }
    BufferedImage encodable = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? image : toBgr(image);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    var bytes = new ByteArrayOutputStream();
    try (var out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(encodable, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed in memory", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Scales to exactly {@code width} x {@code height}, halving in steps first so that large reductions do not alias. */
  public static BufferedImage scale(BufferedImage src, int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("size must be positive, got: " + width + "x" + height);
    }
    BufferedImage current = toBgr(src);
    while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
      current = resample(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    if (current.getWidth() == width && current.getHeight() == height) {
      return current == src ? copy(current) : current;
    }
    return resample(current, width, height);
  }

  /** Returns {@code image} itself when it is already {@code TYPE_3BYTE_BGR}, otherwise an opaque copy (alpha over black). */
  static BufferedImage toBgr(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return image;
    }
    var out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  static BufferedImage copy(BufferedImage image) {
    var out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  static BufferedImage decodeJpeg(byte[] jpeg) {
    try {
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
      if (decoded == null) {
        throw new IllegalStateException("no JPEG reader for " + jpeg.length + " bytes");
      }
      return toBgr(decoded);
    } catch (IOException e) {
      throw new UncheckedIOException("decoding a JPEG we just encoded failed", e);
    }
  }

  private static BufferedImage resample(BufferedImage src, int width, int height) {
    var out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** A window keeping {@code area} of the area with the same aspect, at the centre shifted by up to 1/{@code shiftDivisor} of the slack. */
  private static BufferedImage centredCrop(BufferedImage src, double area, int shiftDivisor, Random random) {
    int w = src.getWidth();
    int h = src.getHeight();
    int cw = cropSide(w, area);
    int ch = cropSide(h, area);
    int x = (w - cw) / 2 + shift(w - cw, shiftDivisor, random);
    int y = (h - ch) / 2 + shift(h - ch, shiftDivisor, random);
    return copy(toBgr(src).getSubimage(x, y, cw, ch));
  }

  /** The side of a window that keeps {@code area} of the area with the same aspect ratio. */
  private static int cropSide(int side, double area) {
    return Math.clamp(Math.round(side * Math.sqrt(area)), 1, side);
  }

  private static int shift(int slack, int divisor, Random random) {
    int limit = slack / divisor;
    return limit == 0 ? 0 : random.nextInt(-limit, limit + 1);
  }

  /** A colour with R, G and B drawn uniformly, in that order. */
  static Color randomColour(Random random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }

  /** Copies {@code src} into the middle of a larger image whose margin repeats the outermost pixels. */
  private static BufferedImage padReplicate(BufferedImage src, int pad) {
    int w = src.getWidth();
    int h = src.getHeight();
    var out = new BufferedImage(w + 2 * pad, h + 2 * pad, BufferedImage.TYPE_3BYTE_BGR);
    int[] row = new int[w + 2 * pad];
    int[] line = new int[w];
    for (int y = -pad; y < h + pad; y++) {
      src.getRGB(0, Math.clamp(y, 0, h - 1), w, 1, line, 0, w);
      for (int x = -pad; x < w + pad; x++) {
        row[x + pad] = line[Math.clamp(x, 0, w - 1)];
      }
      out.setRGB(0, y + pad, row.length, 1, row, 0, row.length);
    }
    return out;
  }

  /** Three to six random words in capitals, as a captioning tool writes them. */
  private static String captionLine(Random random) {
    return words(random, 3 + random.nextInt(4)).toUpperCase(Locale.ROOT);
  }

  /** Fills a band with {@code colour} and centres {@code line} on it in white, shrinking the font until it fits. */
  private static void drawBand(Graphics2D g, int x, int y, int width, int band, Color colour, String line) {
    g.setColor(colour);
    g.fillRect(x, y, width, band);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    int size = Math.max(6, band / 2);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
    // Shrink until the line fits the width, as captioning tools do.
    while (size > 6 && g.getFontMetrics().stringWidth(line) > width * 0.92) {
      size--;
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
    }
    var metrics = g.getFontMetrics();
    g.drawString(line, x + (width - metrics.stringWidth(line)) / 2,
        y + (band - metrics.getHeight()) / 2 + metrics.getAscent());
  }

  /** An opaque logo of {@code size} pixels at (x, y): a saturated shape with two or three white letters. */
  private static void drawLogo(Graphics2D g, int x, int y, int size, Random random) {
    int shape = random.nextInt(3);
    var colour = Color.getHSBColor(random.nextFloat(), 0.8f, 0.75f);
    var letters = new StringBuilder();
    int count = 2 + random.nextInt(2);
    for (int i = 0; i < count; i++) {
      letters.append((char) ('A' + random.nextInt(26)));
    }
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(colour);
    switch (shape) {
      case 0 -> g.fillOval(x, y, size, size);
      case 1 -> g.fillRoundRect(x, y, size, size, size / 4, size / 4);
      default -> g.fillPolygon(new int[] {x + size / 2, x + size, x + size / 2, x},
          new int[] {y, y + size / 2, y + size, y + size / 2}, 4);
    }
    g.setColor(Color.WHITE);
    String text = letters.toString();
    // The letters fit the middle 60% of the shape (inside the diamond too), clipped to it anyway.
    int fontSize = Math.max(4, size * 2 / 5);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
    while (fontSize > 4 && g.getFontMetrics().stringWidth(text) > size * 0.6) {
      fontSize--;
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
    }
    var metrics = g.getFontMetrics();
    java.awt.Shape clip = g.getClip();
    g.clipRect(x, y, size, size);
    g.drawString(text, x + (size - metrics.stringWidth(text)) / 2, y + (size - metrics.getHeight()) / 2 + metrics.getAscent());
    g.setClip(clip);
  }

  /** Share of the short side taken by each gutter of {@link #collage}. */
  static final double COLLAGE_GUTTER = 0.015;

  /**
   * A 2 x 2 collage on a canvas of the source's size: four cells separated and framed by gutters of
   * {@value #COLLAGE_GUTTER} of the short side in white or a random colour; the source, scaled to
   * fit its cell, fills one cell chosen at random, and the other three are windows of the
   * {@code fillers} (pictures that are indexed nowhere) scaled to their cells, or drawn shapes when
   * there are no fillers. Random draws, in order: the source's cell, the gutter colour, then per
   * other cell its filler and window.
   */
  public static BufferedImage collage(BufferedImage src, java.util.List<BufferedImage> fillers, Random random) {
    int w = src.getWidth();
    int h = src.getHeight();
    int gutter = Math.max(1, (int) Math.round(Math.min(w, h) * COLLAGE_GUTTER));
    int cellW = Math.max(1, (w - 3 * gutter) / 2);
    int cellH = Math.max(1, (h - 3 * gutter) / 2);
    int own = random.nextInt(4);
    Color colour = random.nextBoolean() ? Color.WHITE : randomColour(random);
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(colour);
      g.fillRect(0, 0, w, h);
      for (int cell = 0; cell < 4; cell++) {
        BufferedImage content = cell == own ? src : filler(fillers, cellW, cellH, random);
        int x = gutter + (cell & 1) * (cellW + gutter);
        int y = gutter + (cell >> 1) * (cellH + gutter);
        g.drawImage(resample(content, cellW, cellH), x, y, null);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * Rotates by 45 degrees, clockwise or anticlockwise at random, and keeps the largest centred
   * rectangle of the source's aspect ratio that lies inside the rotated picture (about a third of
   * its area for a 3:2 source): no fill colour is left in the result.
   */
  public static BufferedImage rotate45Inner(BufferedImage src, Random random) {
    double degrees = random.nextBoolean() ? 45 : -45;
    BufferedImage turned = rotate(src, degrees, Color.BLACK);
    int[] inner = innerRectangle45(src.getWidth(), src.getHeight());
    int x = Math.max(0, (turned.getWidth() - inner[0]) / 2);
    int y = Math.max(0, (turned.getHeight() - inner[1]) / 2);
    return copy(turned.getSubimage(x, y, Math.min(inner[0], turned.getWidth() - x), Math.min(inner[1], turned.getHeight() - y)));
  }

  /**
   * Width and height of the largest centred rectangle with the aspect of a {@code w} x {@code h}
   * picture inside that picture turned by 45 degrees: its half sides x = a y must satisfy
   * (x + y) cos 45 <= min(w, h) / 2, so y = min(w, h) / (sqrt 2 (a + 1)); rounded inwards by two
   * pixels for the interpolated edge.
   */
  static int[] innerRectangle45(int w, int h) {
    double aspect = (double) w / h;
    double halfH = Math.min(w, h) / (Math.sqrt(2) * (aspect + 1));
    return new int[] {Math.max(1, (int) Math.floor(2 * aspect * halfH) - 2), Math.max(1, (int) Math.floor(2 * halfH) - 2)};
  }

  /**
   * A meme: a line of white capitals with a black outline over the top of the picture and another
   * over the bottom, each about a ninth of the height tall, shrunk to fit the width, without a band.
   */
  public static BufferedImage meme(BufferedImage src, Random random) {
    BufferedImage out = copy(toBgr(src));
    int w = out.getWidth();
    int h = out.getHeight();
    String top = captionLine(random);
    String bottom = captionLine(random);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int margin = Math.max(1, h / 40);
      drawOutlinedLine(g, top, w, margin, h / 9, true);
      drawOutlinedLine(g, bottom, w, h - margin, h / 9, false);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static void drawOutlinedLine(Graphics2D g, String line, int width, int edge, int height, boolean fromTop) {
    int size = Math.max(6, height);
    Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
    var context = g.getFontRenderContext();
    while (size > 6 && font.getStringBounds(line, context).getWidth() > width * 0.94) {
      size--;
      font = new Font(Font.SANS_SERIF, Font.BOLD, size);
    }
    var layout = new java.awt.font.TextLayout(line, font, context);
    double x = (width - layout.getAdvance()) / 2;
    double y = fromTop ? edge + layout.getAscent() : edge - layout.getDescent();
    java.awt.Shape outline = layout.getOutline(AffineTransform.getTranslateInstance(x, y));
    g.setColor(Color.BLACK);
    g.setStroke(new java.awt.BasicStroke(Math.max(1f, size / 8f), java.awt.BasicStroke.CAP_ROUND, java.awt.BasicStroke.JOIN_ROUND));
    g.draw(outline);
    g.setColor(Color.WHITE);
    g.fill(outline);
  }

  /** Share of the area {@link #overlay15} covers. */
  static final double OVERLAY_AREA = 0.15;

  /**
   * Pastes an opaque picture over {@value #OVERLAY_AREA} of the area at a random position inside
   * the frame, with aspect 0.6 to 1.7: a window of one of the {@code fillers}, or drawn shapes when
   * there are none (a sticker, an inset, a watermark box). Random draws: the aspect, the position,
   * then the filler and its window.
   */
  public static BufferedImage overlay15(BufferedImage src, java.util.List<BufferedImage> fillers, Random random) {
    BufferedImage out = copy(toBgr(src));
    int w = out.getWidth();
    int h = out.getHeight();
    double aspect = random.nextDouble(0.6, 1.7);
    double area = OVERLAY_AREA * w * h;
    int ow = Math.clamp(Math.round(Math.sqrt(area * aspect)), 1, w);
    int oh = Math.clamp(Math.round(area / ow), 1, h);
    int x = random.nextInt(w - ow + 1);
    int y = random.nextInt(h - oh + 1);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(resample(filler(fillers, ow, oh, random), ow, oh), x, y, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * A picture for a cell of {@code width} x {@code height}: a window of that aspect at a random
   * place of a random filler, at least a quarter of the filler's short side; or, without fillers,
   * a gradient with a few filled shapes.
   */
  static BufferedImage filler(java.util.List<BufferedImage> fillers, int width, int height, Random random) {
    if (fillers.isEmpty()) {
      return drawnFiller(width, height, random);
    }
    BufferedImage source = fillers.get(random.nextInt(fillers.size()));
    int sw = source.getWidth();
    int sh = source.getHeight();
    double aspect = (double) width / height;
    double scale = random.nextDouble(0.25, 1.0);
    int ww = (int) Math.min(sw, Math.round(Math.min(sw, sh * aspect) * scale));
    int wh = (int) Math.min(sh, Math.max(1, Math.round(ww / aspect)));
    ww = Math.max(1, Math.min(ww, sw));
    int x = random.nextInt(sw - ww + 1);
    int y = random.nextInt(sh - wh + 1);
    return source.getSubimage(x, y, ww, wh);
  }

  private static BufferedImage drawnFiller(int width, int height, Random random) {
    var out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setPaint(new java.awt.GradientPaint(0, 0, randomColour(random), width, height, randomColour(random)));
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      int shapes = 4 + random.nextInt(6);
      for (int i = 0; i < shapes; i++) {
        g.setColor(randomColour(random));
        int sw = 1 + random.nextInt(Math.max(1, width / 2));
        int sh = 1 + random.nextInt(Math.max(1, height / 2));
        int sx = random.nextInt(Math.max(1, width - sw + 1));
        int sy = random.nextInt(Math.max(1, height - sh + 1));
        if (random.nextBoolean()) {
          g.fillOval(sx, sy, sw, sh);
        } else {
          g.fillRect(sx, sy, sw, sh);
        }
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Rotates by {@code degrees} about the centre onto a canvas that holds the whole result, filled with {@code background}. */
  static BufferedImage rotate(BufferedImage src, double degrees, Color background) {
    double radians = Math.toRadians(degrees);
    double sin = Math.abs(Math.sin(radians));
    double cos = Math.abs(Math.cos(radians));
    int w = src.getWidth();
    int h = src.getHeight();
    int nw = (int) Math.ceil(w * cos + h * sin);
    int nh = (int) Math.ceil(w * sin + h * cos);
    var out = new BufferedImage(nw, nh, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(background);
      g.fillRect(0, 0, nw, nh);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      var transform = new AffineTransform();
      transform.translate(nw / 2.0, nh / 2.0);
      transform.rotate(radians);
      transform.translate(-w / 2.0, -h / 2.0);
      g.drawImage(src, transform, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
