package dev.loupe.index;

/**
 * Facts about an image file that are not part of its signature.
 *
 * @param format encoded format, for example {@code "jpeg"}
 * @param width full width in pixels
 * @param height full height in pixels
 * @param thumbnail a JPEG of at most 256 px on the long side, kept for display
 */
public record ImageMetadata(String format, int width, int height, byte[] thumbnail) {
  public ImageMetadata {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("dimensions must be positive, got: " + width + "x" + height);
    }
    thumbnail = thumbnail.clone();
  }

  @Override
  public byte[] thumbnail() {
    return thumbnail.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageMetadata m && format.equals(m.format) && width == m.width
        && height == m.height && java.util.Arrays.equals(thumbnail, m.thumbnail);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(format, width, height, java.util.Arrays.hashCode(thumbnail));
  }
}
