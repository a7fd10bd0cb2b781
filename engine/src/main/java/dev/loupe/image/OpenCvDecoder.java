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
      // Each full-size intermediate is freed as soon as the next exists, so at most two are alive:
      // the peak is PEAK_BYTES_PER_PIXEL, not the sum of every step.
      Mat bgr = toBgr8(decoded, info.format());
      if (bgr != decoded) {
        decoded.deallocate();
      }
      Mat upright = orient(bgr, info.exifOrientation());
      if (upright != bgr) {
        bgr.deallocate();
      }
      return toDecodedImage(info, shrink(upright, targetLongSide));
    }
  }

  /**
   * Peak native bytes per decoded pixel: two full-size images alive at once, the decoded one (at
   * most 4 bytes for 8-bit BGRA) and the converted or turned copy (3 bytes). JPEG decodes to 3.
   * 16-bit and floating-point PNG and TIFF need more (up to 8 + 4) and are under-counted.
   */
  static final int PEAK_BYTES_PER_PIXEL = 7;
  static final int PEAK_BYTES_PER_PIXEL_JPEG = 6;

  /** The bytes {@link #decode} needs at its peak for this image and target. */
  static long peakBytes(ImageInfo info, int targetLongSide) {
    if (info.format() != ImageFormat.JPEG) {
      return info.pixels() * PEAK_BYTES_PER_PIXEL;
    }
    int n = switch (jpegFlags(Math.max(info.width(), info.height()), targetLongSide)) {
      case IMREAD_REDUCED_COLOR_8 -> 8;
      case IMREAD_REDUCED_COLOR_4 -> 4;
      case IMREAD_REDUCED_COLOR_2 -> 2;
      default -> 1;
    };
    long w = (info.width() + n - 1) / n;
    long h = (info.height() + n - 1) / n;
    return w * h * PEAK_BYTES_PER_PIXEL_JPEG;
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

  private static Mat toBgr8(Mat mat, ImageFormat format) throws ImageRejected {
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
    return switch (channels) {
      case 3 -> eight;
      case 1 -> {
        Mat bgr = new Mat();
        cvtColor(eight, bgr, COLOR_GRAY2BGR);
        yield bgr;
      }
      // OpenCV reads 8-bit TIFF through libtiff's RGBA interface, which always returns associated
      // (premultiplied) alpha, whatever the file's ExtraSamples tag says; 16-bit TIFF comes raw.
      case 2, 4 -> overWhite(eight, channels, format == ImageFormat.TIFF && mat.depth() == CV_8U);
      default -> throw new ImageRejected(Reason.MALFORMED,
          "malformed " + format.wireName() + ": " + channels + " channels per pixel");
    };
  }

  /**
   * Composites gray+alpha or BGRA over white. Done before any resizing so that the colour of fully
   * transparent pixels (often black) cannot bleed into the result. Straight alpha: {@code c * a +
   * 255 * (1 - a)}; premultiplied: {@code c + 255 * (1 - a)}.
   */
  private static Mat overWhite(Mat mat, int channels, boolean premultiplied) {
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
        int gray = over(in[i], alpha, premultiplied);
        if (channels == 2) {
          out[o] = out[o + 1] = out[o + 2] = (byte) gray;
        } else {
          out[o] = (byte) gray;
          out[o + 1] = (byte) over(in[i + 1], alpha, premultiplied);
          out[o + 2] = (byte) over(in[i + 2], alpha, premultiplied);
        }
      }
      target.position(r * targetStride).put(out);
    }
    return bgr;
  }

  private static int over(byte colour, int alpha, boolean premultiplied) {
    int c = colour & 0xff;
    return premultiplied
        ? Math.min(255, c + 255 - alpha)
        : (c * alpha + 255 * (255 - alpha) + 127) / 255; // +127: round to nearest
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
