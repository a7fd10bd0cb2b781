package dev.loupe.image;

/**
 * What {@link ImageLoader} accepts, checked from the header before any pixel is decoded.
 *
 * <p>The defaults follow the hosted service's published input limits: each side more than 10
 * pixels, aspect ratio at most 200:1, at most 10 MB encoded. The pixel cap is Loupe's own guard
 * against decompression bombs (a few kilobytes of PNG can claim gigapixels).
 *
 * @param minSide smallest accepted width and height, in pixels; default {@code 11} ("each side must
 *     be more than 10 pixels")
 * @param maxAspectRatio largest accepted long side / short side; default {@code 200}
 * @param maxEncodedBytes largest accepted encoded size, in bytes; default {@code 10 MiB}
 *     ({@code 10485760})
 * @param maxPixels largest accepted width × height; default {@code 100_000_000}, which admits 8K
 *     (7680x4320) with room to spare while keeping a decoded buffer under about 300 MB
 * @param maxMetadataBytes largest accepted sum of text, EXIF, XMP and ICC bytes, counted after
 *     inflation; default {@code 4 MiB} ({@code 4194304}), room for the largest ICC profiles and
 *     Photoshop's XMP history while a zTXt bomb (2 MB inflating to gigabytes) stops after 4 MiB
 *     of inflation
 */
public record ImageLimits(int minSide, double maxAspectRatio, long maxEncodedBytes, long maxPixels,
    long maxMetadataBytes) {
  /** Default {@link #minSide()}. */
  public static final int DEFAULT_MIN_SIDE = 11;
  /** Default {@link #maxAspectRatio()}. */
  public static final double DEFAULT_MAX_ASPECT_RATIO = 200;
  /** Default {@link #maxEncodedBytes()}: 10 MiB. */
  public static final long DEFAULT_MAX_ENCODED_BYTES = 10L << 20;
  /** Default {@link #maxPixels()}. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
  /** Default {@link #maxMetadataBytes()}: 4 MiB. */
  public static final long DEFAULT_MAX_METADATA_BYTES = 4L << 20;

  public ImageLimits {
    if (minSide < 1) {
      throw new IllegalArgumentException("minSide must be at least 1, got: " + minSide);
    }
    if (!(maxAspectRatio >= 1) || Double.isInfinite(maxAspectRatio)) {
      throw new IllegalArgumentException(
          "maxAspectRatio must be a finite number of at least 1, got: " + maxAspectRatio);
    }
    if (maxEncodedBytes < 1) {
      throw new IllegalArgumentException("maxEncodedBytes must be at least 1, got: " + maxEncodedBytes);
    }
    if (maxPixels < (long) minSide * minSide) {
      throw new IllegalArgumentException(
          "maxPixels must be at least minSide * minSide (" + (long) minSide * minSide + "), got: "
              + maxPixels);
    }
    if (maxMetadataBytes < 0) {
      throw new IllegalArgumentException("maxMetadataBytes must be at least 0, got: " + maxMetadataBytes);
    }
  }

  /** Limits with the default {@link #maxMetadataBytes()}. */
  public ImageLimits(int minSide, double maxAspectRatio, long maxEncodedBytes, long maxPixels) {
    this(minSide, maxAspectRatio, maxEncodedBytes, maxPixels, DEFAULT_MAX_METADATA_BYTES);
  }

  /** The defaults listed on each component. */
  public static ImageLimits defaults() {
    return new ImageLimits(
        DEFAULT_MIN_SIDE, DEFAULT_MAX_ASPECT_RATIO, DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_PIXELS);
  }
}
