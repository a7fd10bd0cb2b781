package dev.loupe.image;

import dev.loupe.image.ImageRejected.Reason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Turns untrusted encoded bytes into validated, upright pixels.
 *
 * <pre>{@code
 * ImageLoader loader = new ImageLoader(ImageLimits.defaults());
 * ImageInfo info = loader.probe(bytes);          // header only: format, size, orientation
 * DecodedImage image = loader.decode(bytes);     // long side at most 512 pixels
 * }</pre>
 *
 * <p>Every image is checked in this order, each step before anything costlier: not empty; at most
 * {@link ImageLimits#maxEncodedBytes()}; a supported format by its leading bytes; complete (a JPEG
 * reaches its end-of-image marker, a PNG its IEND chunk, …); metadata (text, EXIF, XMP, ICC; counted
 * after inflation, with inflation stopped at the cap) within {@link ImageLimits#maxMetadataBytes()},
 * before metadata-extractor parses any of it; then the size from the header against
 * {@link ImageLimits#maxPixels()}, {@link ImageLimits#maxAspectRatio()} and {@link
 * ImageLimits#minSide()} (a 4000x2 strip is reported for its ratio, the more telling fault). Only then are pixels decoded, so a small file that claims a huge
 * image costs microseconds and no memory.
 *
 * <p>Decoding uses OpenCV. JPEGs are decoded at 1/2, 1/4 or 1/8 scale when that still covers the
 * target size (libjpeg's DCT scaling; a 2-megapixel photo takes a few milliseconds), other formats at
 * full size; then the EXIF orientation is applied (for every format, not just JPEG), alpha is
 * composited over white, and the image is shrunk with area averaging. Formats OpenCV does not read
 * (HEIC) are decoded by a {@link FormatDecoder} found at run time, or refused.
 *
 * <p><b>Where pixels live.</b> Decoded pixels are in native memory (OpenCV {@code Mat}s, freed by a
 * {@link org.bytedeco.javacpp.PointerScope} when the call returns, not by the garbage collector);
 * the Java heap holds the encoded bytes, one row during alpha compositing, and the small result.
 * Only the decoded image is ever full size: it is shrunk before anything copies it (alpha is
 * premultiplied in place first and composited over white after the shrink; the EXIF orientation is
 * applied to the small image). So the peak is the decoded image, 4 bytes a pixel with alpha, 3
 * without, 1 for gray, plus the small result; JPEG is decoded at 1/2, 1/4 or 1/8 scale when the
 * target allows, which divides its pixels by 4, 16 or 64. 16-bit and floating-point PNG and TIFF
 * decode to up to 8 and 16 bytes a pixel and are converted to 8 bits at full size: they are
 * under-counted. {@code bench/run decode-memory} measures it.
 *
 * <p><b>Pixel budget.</b> Before decoding, {@link #decode} reserves that peak from a {@link
 * PixelBudget} (the process-wide one unless given), waits for it up to the budget's deadline, then
 * throws {@link PixelBudgetExhausted}. So concurrent large decodes queue instead of running the
 * process out of memory.
 *
 * <p>Thread-safe and immutable; share one instance.
 */
public final class ImageLoader {
  /** Long side, in pixels, that {@link #decode(byte[])} shrinks to. */
  public static final int DEFAULT_TARGET_LONG_SIDE = 512;

  private final ImageLimits limits;
  private final Map<ImageFormat, FormatDecoder> extraDecoders;
  /** Null: {@link PixelBudget#process()}, looked up at each decode. */
  private final PixelBudget budget;

  /** A loader with the {@link FormatDecoder}s that {@link ServiceLoader} finds. */
  public ImageLoader(ImageLimits limits) {
    this(limits, ServiceLoader.load(FormatDecoder.class, ImageLoader.class.getClassLoader())
        .stream().map(ServiceLoader.Provider::get).toList());
  }

  /**
   * A loader with exactly these extra decoders.
   *
   * @throws IllegalArgumentException if a decoder claims a format OpenCV already decodes, or two
   *     claim the same format
   */
  public ImageLoader(ImageLimits limits, List<? extends FormatDecoder> extraDecoders) {
    this(limits, extraDecoders, null);
  }

  /**
   * A loader with exactly these extra decoders whose decodes reserve from {@code budget} (null: the
   * process-wide {@link PixelBudget#process()}).
   */
  public ImageLoader(ImageLimits limits, List<? extends FormatDecoder> extraDecoders, PixelBudget budget) {
    this.budget = budget;
    this.limits = Objects.requireNonNull(limits, "limits");
    Map<ImageFormat, FormatDecoder> byFormat = new EnumMap<>(ImageFormat.class);
    for (FormatDecoder decoder : extraDecoders) {
      ImageFormat format = decoder.format();
      if (format != ImageFormat.HEIC) {
        throw new IllegalArgumentException("FormatDecoder " + decoder.getClass().getName()
            + " claims " + format + ", which is decoded by OpenCV; only HEIC can be added");
      }
      FormatDecoder previous = byFormat.putIfAbsent(format, decoder);
      if (previous != null) {
        throw new IllegalArgumentException("two FormatDecoders claim " + format + ": "
            + previous.getClass().getName() + " and " + decoder.getClass().getName());
      }
    }
    this.extraDecoders = Map.copyOf(byFormat);
  }

  public ImageLimits limits() {
    return limits;
  }

  /**
   * Format, displayed size and orientation, from the header, after all checks listed on the class.
   * Scans the bytes once for completeness but decodes no pixels; microseconds per image.
   *
   * @throws ImageRejected if any check fails; the message names the limit and the value
   */
  public ImageInfo probe(byte[] encoded) throws ImageRejected {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length == 0) {
      throw new ImageRejected(Reason.EMPTY, "image data is empty");
    }
    if (encoded.length > limits.maxEncodedBytes()) {
      throw new ImageRejected(Reason.ENCODED_TOO_LARGE, "image is " + encoded.length
          + " bytes; at most " + limits.maxEncodedBytes() + " bytes are allowed");
    }
    ImageFormat format = HeaderReader.detect(encoded);
    ImageInfo info;
    if (format == ImageFormat.HEIC) {
      info = extraDecoder(format).probe(encoded);
    } else {
      EncodedStructure.check(format, encoded);
      MetadataBounds.check(format, encoded, limits.maxMetadataBytes());
      info = HeaderReader.read(format, encoded);
    }
    checkSize(info);
    return info;
  }

  /** {@link #decode(byte[], int)} to {@link #DEFAULT_TARGET_LONG_SIDE}. */
  public DecodedImage decode(byte[] encoded) throws ImageRejected {
    return decode(encoded, DEFAULT_TARGET_LONG_SIDE);
  }

  /**
   * Probes, then decodes upright 8-bit BGR pixels whose long side is exactly {@code
   * targetLongSide}, or the image's own size if that is smaller (never enlarged). The short side is
   * {@code round(shortSide * targetLongSide / longSide)}, at least 1. {@link DecodedImage#width()}
   * and {@link DecodedImage#height()} report the full size as displayed.
   *
   * @throws ImageRejected as {@link #probe}, or {@link Reason#MALFORMED} if the pixel data is corrupt
   * @throws IllegalArgumentException if {@code targetLongSide} is less than 1
   */
  public DecodedImage decode(byte[] encoded, int targetLongSide) throws ImageRejected {
    if (targetLongSide < 1) {
      throw new IllegalArgumentException("targetLongSide must be at least 1, got: " + targetLongSide);
    }
    ImageInfo info = probe(encoded);
    // HEIC: the decoder's full-size BGR on the heap plus its native copy for the shrink.
    long peak = info.format() == ImageFormat.HEIC ? info.pixels() * 6 : OpenCvDecoder.peakBytes(info, targetLongSide);
    try (PixelBudget.Reservation reserved = (budget != null ? budget : PixelBudget.process()).reserve(peak)) {
      if (info.format() == ImageFormat.HEIC) {
        DecodedImage full = DecodedImage.of(info.format(),
            extraDecoder(info.format()).decode(encoded, targetLongSide));
        return OpenCvDecoder.shrink(info, full, targetLongSide);
      }
      return OpenCvDecoder.decode(encoded, info, targetLongSide);
    }
  }

  private FormatDecoder extraDecoder(ImageFormat format) throws ImageRejected {
    FormatDecoder decoder = extraDecoders.get(format);
    if (decoder == null) {
      throw new ImageRejected(Reason.UNSUPPORTED_FORMAT, "unsupported format: " + format.name());
    }
    return decoder;
  }

  private void checkSize(ImageInfo info) throws ImageRejected {
    int w = info.width();
    int h = info.height();
    if (info.pixels() > limits.maxPixels()) {
      throw new ImageRejected(Reason.TOO_MANY_PIXELS, "image is " + w + "x" + h + " ("
          + info.pixels() + " pixels); at most " + limits.maxPixels() + " pixels are allowed");
    }
    int longSide = Math.max(w, h);
    int shortSide = Math.min(w, h);
    if (longSide > limits.maxAspectRatio() * shortSide) {
      throw new ImageRejected(Reason.ASPECT_RATIO, "image aspect ratio is "
          + ratio(longSide, shortSide) + ":1 (" + w + "x" + h + "); at most "
          + plain(limits.maxAspectRatio()) + ":1 is allowed");
    }
    if (Math.min(w, h) < limits.minSide()) {
      throw new ImageRejected(Reason.TOO_SMALL, "image is " + w + "x" + h
          + " pixels; each side must be more than " + (limits.minSide() - 1) + " pixels");
    }
  }

  /** One decimal, rounded up, so a ratio just over the limit never prints as the limit itself. */
  private static String ratio(int longSide, int shortSide) {
    return BigDecimal.valueOf(longSide).divide(BigDecimal.valueOf(shortSide), 1, RoundingMode.UP)
        .toPlainString();
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
