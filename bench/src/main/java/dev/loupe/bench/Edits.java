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
    int w = out.getWidth();
    int h = out.getHeight();
    int band = Math.max(1, Math.round(h * 0.2f));
    var text = new StringBuilder();
    int words = 3 + random.nextInt(4);
    for (int i = 0; i < words; i++) {
      text.append(i == 0 ? "" : " ").append(CAPTION_WORDS[random.nextInt(CAPTION_WORDS.length)]);
    }
    var colour = new Color(random.nextInt(64), random.nextInt(64), random.nextInt(64));
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(colour);
      g.fillRect(0, h - band, w, band);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      String line = text.toString().toUpperCase(java.util.Locale.ROOT);
      int size = Math.max(6, band / 2);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
      // Shrink until the line fits the width, as captioning tools do.
      while (size > 6 && g.getFontMetrics().stringWidth(line) > w * 0.92) {
        size--;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
      }
      var metrics = g.getFontMetrics();
      int x = (w - metrics.stringWidth(line)) / 2;
      int y = h - band + (band - metrics.getHeight()) / 2 + metrics.getAscent();
      g.drawString(line, x, y);
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
    var colour = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
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
    int w = src.getWidth();
    int h = src.getHeight();
    int cw = Math.max(1, (int) Math.round(w * Math.sqrt(0.5)));
    int ch = Math.max(1, (int) Math.round(h * Math.sqrt(0.5)));
    int x = (w - cw) / 2 + shift(w - cw, random);
    int y = (h - ch) / 2 + shift(h - ch, random);
    return copy(toBgr(src).getSubimage(x, y, cw, ch));
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

  private static int shift(int slack, Random random) {
    int limit = slack / 5;
    return limit == 0 ? 0 : random.nextInt(-limit, limit + 1);
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
