package dev.loupe.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/** Builds test images in code, so the tests show exactly what each file contains. */
public final class TestImages {
  private TestImages() {}

  /** Left half red, right half blue. */
  public static BufferedImage redBlue(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, width / 2, height);
    g.setColor(Color.BLUE);
    g.fillRect(width / 2, 0, width - width / 2, height);
    g.dispose();
    return image;
  }

  /** White, with the top-left quadrant red: shows where a rotation moved the origin. */
  public static BufferedImage redCorner(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.RED);
    g.fillRect(0, 0, width / 2, height / 2);
    g.dispose();
    return image;
  }

  /** A photo-like image: smooth gradients and some shapes, so JPEG sizes are realistic. */
  public static BufferedImage photoLike(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setPaint(new java.awt.GradientPaint(0, 0, Color.ORANGE, width, height, Color.DARK_GRAY));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.CYAN);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    return image;
  }

  /**
   * A busy synthetic picture, different for every seed: a gradient sky, random rectangles, ovals
   * and lines in random colours. Its perceptual hash has high quality, like a photograph's.
   */
  public static BufferedImage scene(int width, int height, long seed) {
    java.util.Random random = new java.util.Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new java.awt.GradientPaint(0, 0, new Color(random.nextInt(0xffffff)), width, height,
        new Color(random.nextInt(0xffffff))));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 40; i++) {
      g.setColor(new Color(random.nextInt(0xffffff)));
      int x = random.nextInt(width);
      int y = random.nextInt(height);
      int w = 1 + random.nextInt(width / 3);
      int h = 1 + random.nextInt(height / 3);
      switch (random.nextInt(3)) {
        case 0 -> g.fillRect(x, y, w, h);
        case 1 -> g.fillOval(x, y, w, h);
        default -> {
          g.setStroke(new java.awt.BasicStroke(1 + random.nextInt(8)));
          g.drawLine(x, y, random.nextInt(width), random.nextInt(height));
        }
      }
    }
    g.dispose();
    return image;
  }

  /** Where {@link #screenshot} puts the picture: its margin to the page's edge and the bars' height above it. */
  public static final int SCREENSHOT_MARGIN = 12;
  public static final int SCREENSHOT_BARS = 60;

  /**
   * {@code picture} in a made-up screenshot of a web page: bars at the top (darker than the page,
   * with a tab, an address field and buttons), the picture at ({@link #SCREENSHOT_MARGIN}, bars +
   * margin) on the page's flat background, a side panel of coloured thumbnails and blocks of
   * "words" on the right, and lines of word blocks under the picture. Light or dark page. Words are
   * blocks rather than text so that the picture does not depend on the fonts installed.
   */
  public static BufferedImage screenshot(BufferedImage picture, boolean dark, long seed) {
    java.util.Random random = new java.util.Random(seed);
    int pw = picture.getWidth();
    int ph = picture.getHeight();
    int panel = pw / 3;
    int m = SCREENSHOT_MARGIN;
    int width = m + pw + m + panel;
    int textTop = SCREENSHOT_BARS + m + ph + m;
    int height = textTop + 6 * 24 + m;
    Color page = dark ? new Color(32, 33, 36) : new Color(248, 249, 250);
    Color bars = dark ? new Color(53, 54, 58) : new Color(222, 225, 230);
    Color ink = dark ? new Color(200, 200, 205) : new Color(60, 64, 67);
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setColor(page);
    g.fillRect(0, 0, width, height);
    g.setColor(bars);
    g.fillRect(0, 0, width, SCREENSHOT_BARS);
    g.setColor(page);
    g.fillRoundRect(width / 5, SCREENSHOT_BARS / 3, width / 2, SCREENSHOT_BARS / 3, 12, 12);
    g.fillRect(8, 4, width / 4, SCREENSHOT_BARS / 4);
    g.setColor(ink);
    for (int x = 12; x < width / 6; x += 22) {
      g.fillOval(x, SCREENSHOT_BARS / 3, 12, 12);
    }
    for (int y = SCREENSHOT_BARS + m; y + 40 < height; y += 56) {
      g.setColor(new Color(random.nextInt(0xffffff)));
      g.fillRect(m + pw + m, y, 40, 40);
      words(g, ink, m + pw + m + 48, y + 4, panel - 56, 3, random);
    }
    words(g, ink, m, textTop + 6, pw, 6, random);
    g.drawImage(picture, m, SCREENSHOT_BARS + m, null);
    g.dispose();
    return out;
  }

  /** {@code lines} lines of word-like blocks, 24 pixels apart, each up to {@code width} long. */
  private static void words(Graphics2D g, Color ink, int x0, int y0, int width, int lines, java.util.Random random) {
    g.setColor(ink);
    for (int line = 0; line < lines; line++) {
      int end = x0 + width / 2 + random.nextInt(width / 2);
      for (int x = x0; x < end; ) {
        int word = 12 + random.nextInt(40);
        g.fillRect(x, y0 + line * 24, Math.min(word, end - x), 12);
        x += word + 8;
      }
    }
  }

  /**
   * A photograph of the bundled demo collection ({@code demo/images/NAME}, or under the folder the
   * {@code loupe.demo.dir} property names), decoded. Tests that need pictures that really look
   * alike use these: generated scenes are unrelated to each other, and the similar tier's floor
   * rightly returns none of them as similar.
   */
  public static BufferedImage demoPhoto(String name) {
    java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("loupe.demo.dir", "../demo"))
        .resolve("images").resolve(name);
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new IllegalStateException("not an image ImageIO reads: " + file.toAbsolutePath());
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo photo " + file.toAbsolutePath(), e);
    }
  }

  /**
   * A PNG whose header is sound (its size and format read fine) and whose compressed pixel data is
   * garbage: it passes every check made on the header and fails only when decoded.
   */
  public static byte[] corruptPixelsPng() {
    byte[] png = encode(scene(64, 48, 5), "png");
    int chunk = 8; // after the signature: length (4), type (4), data, CRC (4)
    while (!new String(png, chunk + 4, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("IDAT")) {
      chunk += 12 + java.nio.ByteBuffer.wrap(png, chunk, 4).getInt();
    }
    int length = java.nio.ByteBuffer.wrap(png, chunk, 4).getInt();
    for (int i = chunk + 8 + 2; i < chunk + 8 + length; i++) { // after the 2-byte zlib header
      png[i] = (byte) (i * 37);
    }
    return png;
  }

  /** Encodes with ImageIO: "jpeg", "png", "bmp", "gif" or "tiff". */
  public static byte[] encode(BufferedImage image, String format) {
    var out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Encodes a BGR image as WEBP with OpenCV (ImageIO has no WEBP writer). */
  @SuppressWarnings("try")
  public static byte[] webp(BufferedImage image) {
    BufferedImage bgr = DecodedImage.of(ImageFormat.PNG, image).toBufferedImage();
    byte[] pixels = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    try (PointerScope scope = new PointerScope()) {
      Mat mat = new Mat(bgr.getHeight(), bgr.getWidth(), CV_8UC3, new BytePointer(pixels));
      BytePointer out = new BytePointer();
      if (!imencode(".webp", mat, out)) {
        throw new IllegalStateException("OpenCV could not encode WEBP");
      }
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }

  /**
   * Inserts an EXIF APP1 segment holding only an orientation tag right after the JPEG's SOI marker.
   * Layout: "Exif\0\0", big-endian TIFF header, IFD0 with one SHORT entry 0x0112, no next IFD.
   */
  public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
    tiff.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // Orientation, SHORT, count 1
    tiff.putShort((short) orientation).putShort((short) 0); // value, padded to 4 bytes
    tiff.putInt(0); // no next IFD
    byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
    int length = 2 + exifHeader.length + tiff.capacity();
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
    out.put(jpeg, 0, 2); // SOI
    out.put((byte) 0xff).put((byte) 0xe1).putShort((short) length).put(exifHeader).put(tiff.array());
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  /**
   * A PNG with a valid signature, an IHDR claiming {@code width x height} (8-bit RGB), a tiny IDAT
   * and IEND, each with a correct CRC: parses as a PNG header, but is no real image.
   */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /**
   * A real PNG of {@code width x height} with a {@code chunkType} chunk ({@code zTXt} or {@code
   * iCCP}: name, NUL, method 0, zlib data) after IHDR whose zlib stream inflates to {@code
   * inflatedMiB} MiB of zeros (a valid stream, Adler-32 included). Built from one deflated MiB
   * repeated, so 2048 MiB cost about 2 MB and a few milliseconds to make.
   */
  public static byte[] pngWithInflatingChunk(String chunkType, int width, int height, int inflatedMiB) {
    byte[] png = encode(redBlue(width, height), "png");
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] block = new byte[64 << 10];
    var piece = new ByteArrayOutputStream();
    deflater.setInput(new byte[1 << 20]);
    int n;
    while ((n = deflater.deflate(block, 0, block.length, Deflater.FULL_FLUSH)) > 0) {
      piece.write(block, 0, n);
    }
    deflater.end();
    byte[] oneMiB = piece.toByteArray();
    var text = new ByteArrayOutputStream();
    text.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1)); // keyword, NUL, method 0
    text.writeBytes(new byte[] {0x78, (byte) 0xda});
    for (int i = 0; i < inflatedMiB; i++) {
      text.writeBytes(oneMiB);
    }
    text.writeBytes(new byte[] {0x03, 0x00}); // final empty fixed-Huffman block
    // Adler-32 of zeros: a stays 1, b grows by 1 per byte.
    long b = ((long) inflatedMiB << 20) % 65521;
    text.writeBytes(ByteBuffer.allocate(4).putInt((int) (b << 16 | 1)).array());
    var out = new ByteArrayOutputStream();
    int afterIhdr = 8 + 12 + 13;
    out.write(png, 0, afterIhdr);
    chunk(out, chunkType, text.toByteArray());
    out.write(png, afterIhdr, png.length - afterIhdr);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** An ISO-BMFF "ftyp" box with the given major brand, followed by an empty "meta" box. */
  public static byte[] isoBmff(String majorBrand, String... compatible) {
    ByteBuffer box = ByteBuffer.allocate(16 + 4 * compatible.length + 8);
    box.putInt(16 + 4 * compatible.length).put("ftyp".getBytes(StandardCharsets.US_ASCII));
    box.put(majorBrand.getBytes(StandardCharsets.US_ASCII)).putInt(0);
    for (String brand : compatible) {
      box.put(brand.getBytes(StandardCharsets.US_ASCII));
    }
    box.putInt(8).put("meta".getBytes(StandardCharsets.US_ASCII));
    return box.array();
  }

  /** Blue, green, red of one decoded pixel. */
  public static int[] bgrAt(DecodedImage image, int x, int y) {
    int i = (y * image.pixelWidth() + x) * 3;
    byte[] bgr = image.bgr();
    return new int[] {bgr[i] & 0xff, bgr[i + 1] & 0xff, bgr[i + 2] & 0xff};
  }
}
