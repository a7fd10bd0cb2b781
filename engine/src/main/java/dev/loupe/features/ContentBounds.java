package dev.loupe.features;

/**
 * The part of a pixel buffer left after trimming uniform borders: columns {@code [left, right)},
 * rows {@code [top, bottom)}.
 */
record ContentBounds(int left, int top, int right, int bottom) {
  ContentBounds {
    if (left < 0 || top < 0 || right <= left || bottom <= top) {
      throw new IllegalArgumentException(
          "bounds must be non-empty, got: [" + left + ", " + right + ") x [" + top + ", " + bottom + ")");
    }
  }

  int width() {
    return right - left;
  }

  int height() {
    return bottom - top;
  }
}
