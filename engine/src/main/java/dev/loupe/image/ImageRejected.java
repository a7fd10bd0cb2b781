package dev.loupe.image;

import java.util.Objects;

/**
 * The encoded bytes are not an image Loupe accepts. The message is meant for the person who sent
 * the image: it names the limit and the value, for example {@code image is 5x5 pixels; each side
 * must be more than 10 pixels}. {@link #reason()} is for code (mapping to HTTP statuses, counting).
 */
public final class ImageRejected extends Exception {
  /** Why an image was refused. */
  public enum Reason {
    /** Zero bytes. */
    EMPTY,
    /** Not an image, or an image format Loupe cannot decode (HEIC without a decoder, PDF, …). */
    UNSUPPORTED_FORMAT,
    /** A recognised format whose bytes are truncated or corrupt. */
    MALFORMED,
    /** A side is not larger than {@link ImageLimits#minSide()} - 1. */
    TOO_SMALL,
    /** Long side / short side exceeds {@link ImageLimits#maxAspectRatio()}. */
    ASPECT_RATIO,
    /** More encoded bytes than {@link ImageLimits#maxEncodedBytes()}. */
    ENCODED_TOO_LARGE,
    /** More pixels than {@link ImageLimits#maxPixels()}. */
    TOO_MANY_PIXELS,
    /** More text, EXIF, XMP and ICC bytes (after inflation) than {@link ImageLimits#maxMetadataBytes()}. */
    METADATA_TOO_LARGE
  }

  private final Reason reason;

  public ImageRejected(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
