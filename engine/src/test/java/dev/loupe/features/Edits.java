package dev.loupe.features;

import java.awt.Color;
import java.awt.Font;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** The edits copies of an image go through in the wild, on {@code TYPE_3BYTE_BGR} images. */
public final class Edits {
  private Edits() {}

  public static BufferedImage bgr(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return image;
    }
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }

  public static byte[] data(BufferedImage image) {
    return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
  }

  /** Area-average resize, the way the loader reduces images (exact box filter). */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] src = data(image);
    byte[] dst = data(out);
    int sw = image.getWidth();
    int sh = image.getHeight();
    double sx = (double) sw / width;
    double sy = (double) sh / height;
    double[] acc = new double[3];
    for (int y = 0; y < height; y++) {
      double y0 = y * sy, y1 = (y + 1) * sy;
      for (int x = 0; x < width; x++) {
        double x0 = x * sx, x1 = (x + 1) * sx;
        acc[0] = acc[1] = acc[2] = 0;
        for (int iy = (int) y0; iy < Math.min(sh, Math.ceil(y1)); iy++) {
          double wy = Math.min(y1, iy + 1) - Math.max(y0, iy);
          for (int ix = (int) x0; ix < Math.min(sw, Math.ceil(x1)); ix++) {
            double w = wy * (Math.min(x1, ix + 1) - Math.max(x0, ix));
            int p = (iy * sw + ix) * 3;
            acc[0] += w * (src[p] & 0xFF);
            acc[1] += w * (src[p + 1] & 0xFF);
            acc[2] += w * (src[p + 2] & 0xFF);
          }
        }
        int q = (y * width + x) * 3;
        for (int c = 0; c < 3; c++) {
          dst[q + c] = (byte) Math.clamp(Math.round(acc[c] / (sx * sy)), 0, 255);
        }
      }
    }
    return out;
  }

  /** Rescales to {@code areaFraction} of the area. */
  public static BufferedImage scaleArea(BufferedImage image, double areaFraction) {
    double f = Math.sqrt(areaFraction);
    return resize(image, Math.max(1, (int) Math.round(image.getWidth() * f)),
        Math.max(1, (int) Math.round(image.getHeight() * f)));
  }

  /** Re-encodes as baseline JPEG at {@code quality} 1..100 and decodes again. */
  public static BufferedImage jpeg(BufferedImage image, int quality) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (var out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      return bgr(ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BufferedImage grayscale(BufferedImage image) {
    return map(image, (b, g, r, c) -> (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b));
  }

  /** Multiplies every channel by {@code factor}, clipping at 255. */
  public static BufferedImage brightness(BufferedImage image, double factor) {
    return map(image, (b, g, r, c) -> (int) Math.round(c * factor));
  }

  /** Scales distances from mid-grey by {@code factor}. */
  public static BufferedImage contrast(BufferedImage image, double factor) {
    return map(image, (b, g, r, c) -> (int) Math.round(128 + (c - 128) * factor));
  }

  interface Channel {
    int apply(int b, int g, int r, int channel);
  }

  private static BufferedImage map(BufferedImage image, Channel f) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] src = data(image);
    byte[] dst = data(out);
    for (int p = 0; p < src.length; p += 3) {
      int b = src[p] & 0xFF, g = src[p + 1] & 0xFF, r = src[p + 2] & 0xFF;
      dst[p] = (byte) Math.clamp(f.apply(b, g, r, b), 0, 255);
      dst[p + 1] = (byte) Math.clamp(f.apply(b, g, r, g), 0, 255);
      dst[p + 2] = (byte) Math.clamp(f.apply(b, g, r, r), 0, 255);
    }
    return out;
  }

  /** Separable Gaussian blur, edges clamped. */
  public static BufferedImage blur(BufferedImage image, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    int w = image.getWidth(), h = image.getHeight();
    byte[] src = data(image);
    double[] tmp = new double[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int i = -radius; i <= radius; i++) {
            int xx = Math.clamp(x + i, 0, w - 1);
            s += k[i + radius] * (src[(y * w + xx) * 3 + c] & 0xFF);
          }
          tmp[(y * w + x) * 3 + c] = s;
        }
      }
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = data(out);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int i = -radius; i <= radius; i++) {
            int yy = Math.clamp(y + i, 0, h - 1);
            s += k[i + radius] * tmp[(yy * w + x) * 3 + c];
          }
          dst[(y * w + x) * 3 + c] = (byte) Math.clamp(Math.round(s), 0, 255);
        }
      }
    }
    return out;
  }

  /** Adds a border of {@code fraction} of the width (height) on the left and right (top, bottom). */
  public static BufferedImage pad(BufferedImage image, double fraction, Color colour) {
    int w = image.getWidth(), h = image.getHeight();
    int bx = (int) Math.round(w * fraction), by = (int) Math.round(h * fraction);
    BufferedImage out = new BufferedImage(w + 2 * bx, h + 2 * by, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.drawImage(image, bx, by, null);
    g.dispose();
    return out;
  }

  /**
   * The image as a window on a desktop: a desktop-coloured margin, a one-pixel dark window edge,
   * a flat title bar and a thin status bar.
   */
  public static BufferedImage screenshotFrame(BufferedImage image) {
    int w = image.getWidth(), h = image.getHeight();
    int margin = Math.max(8, w / 12);
    int title = Math.max(10, h / 14);
    int status = Math.max(4, h / 60);
    BufferedImage out = new BufferedImage(w + 2 * margin + 2, h + 2 * margin + title + status + 2,
        BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setColor(new Color(0x2e, 0x34, 0x40));
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setColor(new Color(0x10, 0x10, 0x10));
    g.fillRect(margin, margin, w + 2, h + title + status + 2);
    g.setColor(new Color(0xe8, 0xe8, 0xe8));
    g.fillRect(margin + 1, margin + 1, w, title);
    g.setColor(new Color(0xc0, 0xc0, 0xc0));
    g.fillRect(margin + 1, margin + 1 + title + h, w, status);
    g.drawImage(image, margin + 1, margin + 1 + title, null);
    g.dispose();
    return out;
  }

  /** Keeps a rectangle of {@code areaFraction} of the area, same aspect, offset towards a corner. */
  public static BufferedImage crop(BufferedImage image, double areaFraction, double offsetX, double offsetY) {
    double f = Math.sqrt(areaFraction);
    int cw = (int) Math.round(image.getWidth() * f), ch = (int) Math.round(image.getHeight() * f);
    int x = (int) Math.round((image.getWidth() - cw) * offsetX);
    int y = (int) Math.round((image.getHeight() - ch) * offsetY);
    // A sub-image shares its parent's buffer, which DecodedImage.of would copy whole.
    return copy(image.getSubimage(x, y, cw, ch));
  }

  /** Covers the bottom {@code fraction} of the image with a dark band and white text. */
  public static BufferedImage caption(BufferedImage image, double fraction, String text) {
    BufferedImage out = bgr(copy(image));
    int w = out.getWidth(), h = out.getHeight();
    int band = (int) Math.round(h * fraction);
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(new Color(20, 20, 20));
    g.fillRect(0, h - band, w, band);
    g.setColor(Color.WHITE);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(8, band / 2)));
    g.drawString(text, w / 20, h - band / 3);
    g.dispose();
    return out;
  }

  /** Turned clockwise by {@code degrees} about the centre, on a canvas that holds all of it, corners {@code fill}. */
  public static BufferedImage rotate(BufferedImage image, double degrees, Color fill) {
    double r = Math.toRadians(degrees);
    int w = image.getWidth(), h = image.getHeight();
    int nw = (int) Math.ceil(Math.abs(w * Math.cos(r)) + Math.abs(h * Math.sin(r)));
    int nh = (int) Math.ceil(Math.abs(w * Math.sin(r)) + Math.abs(h * Math.cos(r)));
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setColor(fill);
    g.fillRect(0, 0, nw, nh);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.translate(nw / 2.0, nh / 2.0);
    g.rotate(r);
    g.drawImage(image, -w / 2, -h / 2, null);
    g.dispose();
    return out;
  }

  public static BufferedImage copy(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }

  /** Applies a dihedral transform exactly, pixel for pixel, as {@link DihedralTransform} defines it. */
  public static BufferedImage transform(BufferedImage image, DihedralTransform t) {
    int w = image.getWidth(), h = image.getHeight();
    boolean swap = switch (t) {
      case ROTATE_90, ROTATE_270, TRANSPOSE, ANTI_TRANSPOSE -> true;
      case IDENTITY, ROTATE_180, MIRROR_X, MIRROR_Y -> false;
    };
    int ow = swap ? h : w, oh = swap ? w : h;
    BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_3BYTE_BGR);
    byte[] src = data(image);
    byte[] dst = data(out);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] n = switch (t) {
          case IDENTITY -> new int[] {x, y};
          case ROTATE_90 -> new int[] {h - 1 - y, x};
          case ROTATE_180 -> new int[] {w - 1 - x, h - 1 - y};
          case ROTATE_270 -> new int[] {y, w - 1 - x};
          case MIRROR_X -> new int[] {w - 1 - x, y};
          case MIRROR_Y -> new int[] {x, h - 1 - y};
          case TRANSPOSE -> new int[] {y, x};
          case ANTI_TRANSPOSE -> new int[] {h - 1 - y, w - 1 - x};
        };
        System.arraycopy(src, (y * w + x) * 3, dst, (n[1] * ow + n[0]) * 3, 3);
      }
    }
    return out;
  }
}
