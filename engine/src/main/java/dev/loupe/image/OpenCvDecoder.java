package dev.loupe.image;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.transpose;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.loupe.image.ImageRejected.Reason;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Decodes JPEG, PNG, BMP, GIF, TIFF and WEBP with OpenCV's {@code imdecode} and brings every result
 * to the same shape: 8-bit BGR, alpha composited over white, EXIF orientation applied, long side at
 * most the target. Native memory is released by a {@link PointerScope} per call, so nothing waits
 * for the garbage collector. Stateless and thread-safe.
 */
final class OpenCvDecoder {
  static {
    OpenCvLogging.quiet();
  }

  private OpenCvDecoder() {}

  @SuppressWarnings("try") // the scope frees every native object made inside it
  static DecodedImage decode(byte[] encoded, ImageInfo info, int targetLongSide)
      throws ImageRejected {
    try (PointerScope scope = new PointerScope()) {
      BytePointer data = new BytePointer(encoded);
      Mat buffer = new Mat(1, encoded.length, CV_8UC1, data);
      // IGNORE_ORIENTATION everywhere (UNCHANGED implies it): orientation is applied below for all
      // formats alike, from the tag the header reader found.
      int flags = info.format() == ImageFormat.JPEG
          ? jpegFlags(Math.max(info.width(), info.height()), targetLongSide) | IMREAD_IGNORE_ORIENTATION
          : IMREAD_UNCHANGED;
      Mat decoded;
      try {
        decoded = imdecode(buffer, flags);
      } catch (RuntimeException e) {
        throw undecodable(info.format());
      }
      if (decoded == null || decoded.empty()) {
        throw undecodable(info.format());
      }
      // Shrunk before anything else makes a copy: only the decoded image is ever full size, so the
      // peak is PEAK_BYTES_PER_PIXEL (the decoded image) plus the small result.
      Mat small = toSmallBgr8(decoded, info.format(), targetLongSide);
      if (small != decoded) {
        decoded.deallocate();
      }
      // Orientation commutes with the shrink (the long side is the same either way).
      return toDecodedImage(info, orient(small, info.exifOrientation()));
    }
  }

  /**
   * Peak native bytes per decoded pixel: the decoded image alone (at most 4 bytes for 8-bit BGRA),
   * since it is shrunk before any full-size copy is made; JPEG decodes to 3. 16-bit and
   * floating-point PNG and TIFF decode to more (up to 8 and 16) and convert to 8 bits at full size
   * first; they are under-counted.
   */
  static final int PEAK_BYTES_PER_PIXEL = 4;
  static final int PEAK_BYTES_PER_PIXEL_JPEG = 3;

  /** The bytes {@link #decode} needs at its peak for this image and target: the decoded image and the result. */
  static long peakBytes(ImageInfo info, int targetLongSide) {
    long result = 4L * targetLongSide * targetLongSide;
    if (info.format() != ImageFormat.JPEG) {
      return info.pixels() * PEAK_BYTES_PER_PIXEL + result;
    }
    int n = switch (jpegFlags(Math.max(info.width(), info.height()), targetLongSide)) {
      case IMREAD_REDUCED_COLOR_8 -> 8;
      case IMREAD_REDUCED_COLOR_4 -> 4;
      case IMREAD_REDUCED_COLOR_2 -> 2;
      default -> 1;
    };
    long w = (info.width() + n - 1) / n;
    long h = (info.height() + n - 1) / n;
    return w * h * PEAK_BYTES_PER_PIXEL_JPEG + result;
  }

  /** Resizes upright BGR pixels from a {@link FormatDecoder}. */
  @SuppressWarnings("try")
  static DecodedImage shrink(ImageInfo info, DecodedImage full, int targetLongSide) {
    try (PointerScope scope = new PointerScope()) {
      BytePointer data = new BytePointer(full.bgr());
      Mat mat = new Mat(full.pixelHeight(), full.pixelWidth(), CV_8UC3, data);
      return toDecodedImage(info, shrink(mat, targetLongSide));
    }
  }

  /**
   * The largest DCT reduction (1/8, 1/4, 1/2) that still leaves the long side at least the target;
   * libjpeg's scaled decode rounds up, so the reduced long side is {@code ceil(longSide / n)}.
   */
  static int jpegFlags(int longSide, int targetLongSide) {
    for (int n = 8; n >= 2; n /= 2) {
      if ((longSide + n - 1) / n >= targetLongSide) {
        return switch (n) {
          case 8 -> IMREAD_REDUCED_COLOR_8;
          case 4 -> IMREAD_REDUCED_COLOR_4;
          default -> IMREAD_REDUCED_COLOR_2;
        };
      }
    }
    return IMREAD_COLOR;
  }

  private static ImageRejected undecodable(ImageFormat format) {
    return new ImageRejected(Reason.MALFORMED,
        "malformed " + format.wireName() + ": the decoder could not read the pixel data");
  }

  /**
   * The decoded image as 8-bit BGR with the target long side. Alpha is premultiplied in place,
   * the premultiplied image shrunk, and only the small one composited over white: area averaging
   * is linear, so this equals compositing first (within rounding) without a full-size copy, and the
   * colour of transparent pixels cannot bleed into the result.
   */
  private static Mat toSmallBgr8(Mat mat, ImageFormat format, int targetLongSide) throws ImageRejected {
    int channels = mat.channels();
    Mat eight = mat;
    switch (mat.depth()) {
      case CV_8U -> {}
      // 16-bit PNG and TIFF: 65535 / 257 = 255, so full white stays full white.
      case CV_16U -> mat.convertTo(eight = new Mat(), CV_8UC(channels), 1 / 257.0, 0);
      // Floating-point TIFF holds 0..1 by convention.
      case CV_32F, CV_64F -> mat.convertTo(eight = new Mat(), CV_8UC(channels), 255, 0);
      default -> throw new ImageRejected(Reason.MALFORMED,
          "malformed " + format.wireName() + ": unsupported sample type (OpenCV depth "
              + mat.depth() + ")");
    }
    if (channels != 1 && channels != 2 && channels != 3 && channels != 4) {
      throw new ImageRejected(Reason.MALFORMED,
          "malformed " + format.wireName() + ": " + channels + " channels per pixel");
    }
    // OpenCV reads 8-bit TIFF through libtiff's RGBA interface, which always returns associated
    // (premultiplied) alpha, whatever the file's ExtraSamples tag says; 16-bit TIFF comes raw.
    boolean premultiplied = format == ImageFormat.TIFF && mat.depth() == CV_8U;
    if ((channels == 2 || channels == 4) && !premultiplied) {
      premultiplyInPlace(eight, channels);
    }
    Mat small = shrink(eight, targetLongSide);
    if (eight != mat && small != eight) {
      eight.deallocate();
    }
    return switch (channels) {
      case 3 -> small;
      case 1 -> {
        Mat bgr = new Mat();
        cvtColor(small, bgr, COLOR_GRAY2BGR);
        yield bgr;
      }
      default -> overWhite(small, channels);
    };
  }

  /** {@code c * a / 255} for each colour sample, row by row through one heap row. */
  private static void premultiplyInPlace(Mat mat, int channels) {
    int rows = mat.rows();
    int cols = mat.cols();
    byte[] row = new byte[cols * channels];
    BytePointer data = mat.data();
    long stride = mat.step();
    for (int r = 0; r < rows; r++) {
      data.position(r * stride).get(row);
      for (int i = 0; i < row.length; i += channels) {
        int alpha = row[i + channels - 1] & 0xff;
        if (alpha != 255) {
          for (int c = 0; c < channels - 1; c++) {
            row[i + c] = (byte) (((row[i + c] & 0xff) * alpha + 127) / 255);
          }
        }
      }
      data.position(r * stride).put(row);
    }
    data.position(0);
  }

  /** Composites premultiplied gray+alpha or BGRA over white: {@code c + 255 * (1 - a)}. */
  private static Mat overWhite(Mat mat, int channels) {
    // Row by row through two row buffers: the heap holds one row, never the image (a 10000x10000
    // RGBA PNG needed 700 MB of heap when whole arrays were copied out and back).
    int rows = mat.rows();
    int cols = mat.cols();
    byte[] in = new byte[cols * channels];
    byte[] out = new byte[cols * 3];
    Mat bgr = new Mat(rows, cols, CV_8UC3);
    BytePointer source = mat.data();
    BytePointer target = bgr.data();
    long sourceStride = mat.step();
    long targetStride = bgr.step();
    for (int r = 0; r < rows; r++) {
      source.position(r * sourceStride).get(in);
      for (int p = 0, i = 0, o = 0; p < cols; p++, i += channels, o += 3) {
        int alpha = in[i + channels - 1] & 0xff;
        int gray = over(in[i], alpha);
        if (channels == 2) {
          out[o] = out[o + 1] = out[o + 2] = (byte) gray;
        } else {
          out[o] = (byte) gray;
          out[o + 1] = (byte) over(in[i + 1], alpha);
          out[o + 2] = (byte) over(in[i + 2], alpha);
        }
      }
      target.position(r * targetStride).put(out);
    }
    return bgr;
  }

  private static int over(byte colour, int alpha) {
    return Math.min(255, (colour & 0xff) + 255 - alpha);
  }

  /** EXIF orientation 1-8 as transpose and flips, the same table OpenCV applies internally. */
  private static Mat orient(Mat mat, int orientation) {
    if (orientation == 1) {
      return mat;
    }
    Mat source = mat;
    if (orientation >= 5) {
      source = new Mat();
      transpose(mat, source);
    }
    int flipCode = switch (orientation) {
      case 2, 6 -> 1; // horizontal
      case 3, 7 -> -1; // both
      case 4, 8 -> 0; // vertical
      default -> 2; // 5: transpose only
    };
    if (flipCode == 2) {
      return source;
    }
    if (source != mat) {
      flip(source, source, flipCode); // in place: the transposed copy is ours, no third image
      return source;
    }
    Mat flipped = new Mat();
    flip(source, flipped, flipCode);
    return flipped;
  }

  /**
   * Shrinks so the long side is exactly the target: the short side is {@code round(short * target /
   * long)}, at least 1. Images already within the target are returned as they are (never enlarged).
   */
  private static Mat shrink(Mat mat, int targetLongSide) {
    int w = mat.cols();
    int h = mat.rows();
    int longSide = Math.max(w, h);
    if (longSide <= targetLongSide) {
      return mat;
    }
    double scale = (double) targetLongSide / longSide;
    int newW = w >= h ? targetLongSide : Math.max(1, (int) Math.round(w * scale));
    int newH = w >= h ? Math.max(1, (int) Math.round(h * scale)) : targetLongSide;
    Mat resized = new Mat();
    resize(mat, resized, new Size(newW, newH), 0, 0, INTER_AREA);
    return resized;
  }

  private static DecodedImage toDecodedImage(ImageInfo info, Mat mat) {
    // Every Mat built above is freshly allocated and therefore continuous, so one bulk copy works.
    Mat continuous = mat.isContinuous() ? mat : mat.clone();
    byte[] bgr = new byte[continuous.rows() * continuous.cols() * 3];
    continuous.data().get(bgr);
    return new DecodedImage(info.format(), info.width(), info.height(), continuous.cols(),
        continuous.rows(), bgr);
  }
}
