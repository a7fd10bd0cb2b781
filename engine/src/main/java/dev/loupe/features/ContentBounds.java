package dev.loupe.features;

/**
 * The part of a pixel buffer left after trimming uniform borders: columns {@code [left, right)},
 * rows {@code [top, bottom)}.
 */
public record ContentBounds(int left, int top, int right, int bottom) {
  public ContentBounds {
    if (left < 0 || top < 0 || right <= left || bottom <= top) {
      throw new IllegalArgumentException(
          "bounds must be non-empty, got: [" + left + ", " + right + ") x [" + top + ", " + bottom + ")");
    }
  }

  public int width() {
    return right - left;
  }

  public int height() {
    return bottom - top;
  }
}
