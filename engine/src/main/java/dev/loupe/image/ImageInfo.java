package dev.loupe.image;

import java.util.Objects;

/**
 * What {@link ImageLoader#probe(byte[])} learns from an image's header.
 *
 * @param format the encoded format, recognised by its leading bytes
 * @param width width as displayed, that is after the EXIF orientation is applied
 * @param height height as displayed
 * @param exifOrientation the EXIF orientation tag, 1 (upright, also when absent) to 8; values 5 to
 *     8 swap width and height relative to the stored pixels
 */
public record ImageInfo(ImageFormat format, int width, int height, int exifOrientation) {
  public ImageInfo {
    Objects.requireNonNull(format, "format");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("dimensions must be positive, got: " + width + "x" + height);
    }
    if (exifOrientation < 1 || exifOrientation > 8) {
      throw new IllegalArgumentException("exifOrientation must be 1 to 8, got: " + exifOrientation);
    }
  }

  /** Whether the stored pixels are transposed relative to the displayed image (orientations 5-8). */
  public boolean transposed() {
    return exifOrientation >= 5;
  }

  /** Width × height. */
  public long pixels() {
    return (long) width * height;
  }
}
