package dev.loupe.image;

import static dev.loupe.image.TestImages.bgrAt;
import static dev.loupe.image.TestImages.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.ImageRejected.Reason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImageLoaderTest {
  private final ImageLoader loader = new ImageLoader(ImageLimits.defaults());

  static byte[] encoded(ImageFormat format, BufferedImage image) {
    return switch (format) {
      case JPEG -> encode(image, "jpeg");
      case PNG -> encode(image, "png");
      case BMP -> encode(image, "bmp");
      case GIF -> encode(image, "gif");
      case TIFF -> encode(image, "tiff");
      case WEBP -> TestImages.webp(image);
      case HEIC -> throw new IllegalArgumentException("no HEIC encoder");
    };
  }

  @ParameterizedTest
  @EnumSource(value = ImageFormat.class, names = "HEIC", mode = EnumSource.Mode.EXCLUDE)
  void decodesEachFormatWithSizeAndColours(ImageFormat format) throws ImageRejected {
    byte[] bytes = encoded(format, TestImages.redBlue(64, 40));

    assertEquals(new ImageInfo(format, 64, 40, 1), loader.probe(bytes));
    DecodedImage image = loader.decode(bytes);

    assertEquals(format, image.format());
    assertEquals(List.of(64, 40, 64, 40),
        List.of(image.width(), image.height(), image.pixelWidth(), image.pixelHeight()));
    assertColour(new int[] {0, 0, 255}, bgrAt(image, 10, 20), format + " left half");
    assertColour(new int[] {255, 0, 0}, bgrAt(image, 54, 20), format + " right half");
  }

  @Test
  void largeJpegIsDecodedReducedThenShrunkToTheTarget() throws ImageRejected {
    byte[] bytes = encode(TestImages.photoLike(1600, 1200), "jpeg");

    DecodedImage image = loader.decode(bytes, 512);

    assertEquals("DecodedImage[jpeg 1600x1200 decoded at 512x384]", image.toString());
    assertEquals(512, loader.decode(bytes).pixelWidth());
  }

  @Test
  void smallImagesAreNeverEnlarged() throws ImageRejected {
    DecodedImage image = loader.decode(encode(TestImages.redBlue(100, 60), "png"), 512);

    assertEquals(List.of(100, 60), List.of(image.pixelWidth(), image.pixelHeight()));
  }

  @Test
  void shortSideIsRounded() throws ImageRejected {
    // 333 * 512 / 1000 = 170.496 -> 170; 1000x335 gives 171.52 -> 172.
    DecodedImage a = loader.decode(encode(TestImages.redBlue(1000, 333), "png"), 512);
    DecodedImage b = loader.decode(encode(TestImages.redBlue(335, 1000), "png"), 512);

    assertEquals(List.of(512, 170, 172, 512),
        List.of(a.pixelWidth(), a.pixelHeight(), b.pixelWidth(), b.pixelHeight()));
  }

  @Test
  void exifOrientation6RotatesClockwise() throws ImageRejected {
    byte[] bytes = TestImages.withExifOrientation(encode(TestImages.redCorner(60, 40), "jpeg"), 6);

    assertEquals(new ImageInfo(ImageFormat.JPEG, 40, 60, 6), loader.probe(bytes));
    DecodedImage image = loader.decode(bytes);

    assertEquals(List.of(40, 60, 40, 60),
        List.of(image.width(), image.height(), image.pixelWidth(), image.pixelHeight()));
    // The stored top-left corner is displayed top-right.
    assertColour(new int[] {0, 0, 255}, bgrAt(image, 30, 10), "top right");
    assertColour(new int[] {255, 255, 255}, bgrAt(image, 10, 10), "top left");
    assertColour(new int[] {255, 255, 255}, bgrAt(image, 30, 50), "bottom right");
  }

  @Test
  void exifOrientation8RotatesCounterClockwise() throws ImageRejected {
    byte[] bytes = TestImages.withExifOrientation(encode(TestImages.redCorner(60, 40), "jpeg"), 8);

    assertEquals(new ImageInfo(ImageFormat.JPEG, 40, 60, 8), loader.probe(bytes));
    DecodedImage image = loader.decode(bytes);

    assertEquals(List.of(40, 60), List.of(image.pixelWidth(), image.pixelHeight()));
    // The stored top-left corner is displayed bottom-left.
    assertColour(new int[] {0, 0, 255}, bgrAt(image, 10, 50), "bottom left");
    assertColour(new int[] {255, 255, 255}, bgrAt(image, 10, 10), "top left");
    assertColour(new int[] {255, 255, 255}, bgrAt(image, 30, 50), "bottom right");
  }

  @Test
  void exifOrientationAppliesWithReducedDecodeToo() throws ImageRejected {
    byte[] bytes = TestImages.withExifOrientation(encode(TestImages.redCorner(2400, 1600), "jpeg"), 6);

    DecodedImage image = loader.decode(bytes, 300);

    assertEquals("DecodedImage[jpeg 1600x2400 decoded at 200x300]", image.toString());
    assertColour(new int[] {0, 0, 255}, bgrAt(image, 150, 75), "top right");
    assertColour(new int[] {255, 255, 255}, bgrAt(image, 50, 75), "top left");
  }

  @ParameterizedTest
  @EnumSource(value = ImageFormat.class, names = {"PNG", "TIFF", "WEBP"})
  void alphaIsCompositedOverWhite(ImageFormat format) throws ImageRejected {
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 40; x++) {
        // Left: fully transparent black (must not come out black). Right: half-transparent red.
        image.setRGB(x, y, x < 20 ? 0x00000000 : 0x80ff0000);
      }
    }
    byte[] bytes = format == ImageFormat.WEBP ? webpWithAlpha(image) : encoded(format, image);

    DecodedImage decoded = loader.decode(bytes);

    assertColour(new int[] {255, 255, 255}, bgrAt(decoded, 5, 10), format + " transparent");
    assertColour(new int[] {127, 127, 255}, bgrAt(decoded, 30, 10), format + " half red");
  }

  @SuppressWarnings("try")
  private static byte[] webpWithAlpha(BufferedImage argb) {
    // OpenCV writes lossless WEBP with alpha from a 4-channel Mat; round-trip through PNG bytes.
    try (var scope = new org.bytedeco.javacpp.PointerScope()) {
      byte[] png = encode(argb, "png");
      var mat = org.bytedeco.opencv.global.opencv_imgcodecs.imdecode(
          new org.bytedeco.opencv.opencv_core.Mat(new org.bytedeco.javacpp.BytePointer(png)),
          org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED);
      var out = new org.bytedeco.javacpp.BytePointer();
      org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".webp", mat, out,
          new org.bytedeco.javacpp.IntPointer(
              org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101));
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }

  @Test
  void premultipliedTiffAlphaIsCompositedOverWhite() throws ImageRejected {
    BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB_PRE);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        image.setRGB(x, y, 0x80ff0000);
      }
    }

    DecodedImage decoded = loader.decode(encode(image, "tiff"));

    assertColour(new int[] {127, 127, 255}, bgrAt(decoded, 10, 10), "half red");
  }

  @Test
  void grayscaleAndSixteenBitBecomeEightBitBgr() throws ImageRejected {
    BufferedImage gray16 = new BufferedImage(30, 20, BufferedImage.TYPE_USHORT_GRAY);
    var raster = gray16.getRaster();
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 30; x++) {
        raster.setSample(x, y, 0, x < 15 ? 0 : 65535);
      }
    }
    DecodedImage image = loader.decode(encode(gray16, "png"));

    assertArrayEquals(new int[] {0, 0, 0}, bgrAt(image, 5, 5));
    assertArrayEquals(new int[] {255, 255, 255}, bgrAt(image, 25, 5));
  }

  @Test
  void gifFirstFrame() throws ImageRejected {
    BufferedImage image = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_INDEXED);
    var g = image.createGraphics();
    g.setColor(Color.GREEN);
    g.fillRect(0, 0, 30, 20);
    g.dispose();

    DecodedImage decoded = loader.decode(encode(image, "gif"));

    assertColour(new int[] {0, 255, 0}, bgrAt(decoded, 15, 10), "green");
  }

  @Test
  void emptyIsRejected() {
    assertRejected(Reason.EMPTY, "image data is empty", new byte[0]);
  }

  @Test
  void textIsNotAnImage() {
    assertRejected(Reason.UNSUPPORTED_FORMAT,
        "unsupported format: not a recognised image (starts with 48 65 6c 6c 6f)",
        "Hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void otherKnownFormatsAreNamed() {
    assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported format: PDF",
        "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void tinyImageIsRejected() {
    assertRejected(Reason.TOO_SMALL, "image is 5x5 pixels; each side must be more than 10 pixels",
        encode(TestImages.redBlue(5, 5), "png"));
  }

  @Test
  void elevenPixelsIsEnough() throws ImageRejected {
    assertEquals(new ImageInfo(ImageFormat.PNG, 11, 11, 1),
        loader.probe(encode(TestImages.redBlue(11, 11), "png")));
  }

  @Test
  void extremeAspectRatioIsRejected() {
    assertRejected(Reason.ASPECT_RATIO,
        "image aspect ratio is 2000.0:1 (4000x2); at most 200:1 is allowed",
        encode(TestImages.redBlue(4000, 2), "png"));
    // Just over the limit prints above it, never as "200.0".
    assertRejected(Reason.ASPECT_RATIO,
        "image aspect ratio is 200.1:1 (11x2201); at most 200:1 is allowed",
        encode(TestImages.redBlue(11, 2201), "png"));
  }

  @Test
  void aspectRatioAtTheLimitIsAccepted() throws ImageRejected {
    assertEquals(new ImageInfo(ImageFormat.PNG, 2200, 11, 1),
        loader.probe(encode(TestImages.redBlue(2200, 11), "png")));
  }

  @Test
  void decompressionBombIsRefusedFromTheHeader() {
    byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);

    // A guard against decoding, not a speed claim: decoding 10 gigapixels would take minutes or fail.
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertRejected(Reason.TOO_MANY_PIXELS,
          "image is 100000x100000 (10000000000 pixels); at most 100000000 pixels are allowed", bomb);
      ImageRejected e = assertThrows(ImageRejected.class, () -> loader.decode(bomb));
      assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    });
  }

  @Test
  void encodedSizeIsCheckedFirst() {
    byte[] big = new byte[12 << 20];
    byte[] png = encode(TestImages.redBlue(64, 64), "png");
    System.arraycopy(png, 0, big, 0, png.length);

    assertRejected(Reason.ENCODED_TOO_LARGE,
        "image is 12582912 bytes; at most 10485760 bytes are allowed", big);
  }

  @Test
  void heicAndAvifAreNamed() {
    assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported format: HEIC",
        TestImages.isoBmff("heic", "mif1", "heic"));
    assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported format: HEIC",
        TestImages.isoBmff("mif1", "mif1", "heic"));
    assertRejected(Reason.UNSUPPORTED_FORMAT, "unsupported format: AVIF",
        TestImages.isoBmff("avif", "mif1", "avif"));
  }

  @Test
  void heicGoesToAPluggedInDecoder() throws ImageRejected {
    // Stands in for a real HEIC decoder: reports a size and returns fixed pixels.
    FormatDecoder fake = new FormatDecoder() {
      @Override
      public ImageFormat format() {
        return ImageFormat.HEIC;
      }

      @Override
      public ImageInfo probe(byte[] encoded) {
        return new ImageInfo(ImageFormat.HEIC, 1000, 800, 1);
      }

      @Override
      public BufferedImage decode(byte[] encoded, int targetLongSide) {
        return TestImages.redBlue(1000, 800);
      }
    };
    ImageLoader withHeic = new ImageLoader(ImageLimits.defaults(), List.of(fake));

    DecodedImage image = withHeic.decode(TestImages.isoBmff("heic", "mif1", "heic"), 100);

    assertEquals("DecodedImage[heic 1000x800 decoded at 100x80]", image.toString());
    assertColour(new int[] {0, 0, 255}, bgrAt(image, 10, 40), "left");
  }

  @Test
  void pluggedInDecodersOnlyAddFormats() {
    FormatDecoder jpeg = new FormatDecoder() {
      @Override
      public ImageFormat format() {
        return ImageFormat.JPEG;
      }

      @Override
      public ImageInfo probe(byte[] encoded) {
        throw new UnsupportedOperationException();
      }

      @Override
      public BufferedImage decode(byte[] encoded, int targetLongSide) {
        throw new UnsupportedOperationException();
      }
    };
    var e = assertThrows(IllegalArgumentException.class,
        () -> new ImageLoader(ImageLimits.defaults(), List.of(jpeg)));
    assertEquals("FormatDecoder " + jpeg.getClass().getName()
        + " claims JPEG, which is decoded by OpenCV; only HEIC can be added", e.getMessage());
  }

  @Test
  void targetLongSideMustBePositive() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> loader.decode(encode(TestImages.redBlue(20, 20), "png"), 0));
    assertEquals("targetLongSide must be at least 1, got: 0", e.getMessage());
  }

  @Test
  void corruptPixelDataIsMalformed() throws ImageRejected {
    byte[] png = encode(TestImages.photoLike(64, 64), "png");
    // Overwrite the middle of the IDAT payload; framing (lengths, IEND) stays intact.
    byte[] corrupt = png.clone();
    Arrays.fill(corrupt, 60, corrupt.length - 20, (byte) 0x55);

    assertEquals(new ImageInfo(ImageFormat.PNG, 64, 64, 1), loader.probe(corrupt));
    ImageRejected e = assertThrows(ImageRejected.class, () -> loader.decode(corrupt));
    assertEquals("malformed png: the decoder could not read the pixel data", e.getMessage());
    assertEquals(Reason.MALFORMED, e.reason());
  }

  private void assertRejected(Reason reason, String message, byte[] bytes) {
    ImageRejected e = assertThrows(ImageRejected.class, () -> loader.probe(bytes));
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  static void assertColour(int[] expectedBgr, int[] actualBgr, String where) {
    for (int c = 0; c < 3; c++) {
      assertTrue(Math.abs(expectedBgr[c] - actualBgr[c]) <= 12,
          where + ": expected about " + Arrays.toString(expectedBgr) + ", got "
              + Arrays.toString(actualBgr));
    }
  }
}
