package dev.loupe.features;

/**
 * The eight rotations and mirrors of a rectangle, in the order of {@link ImageSignature#dihedral()}.
 *
 * <p>Each constant says how a transformed image is built from the original: a pixel at column
 * {@code x}, row {@code y} of a {@code w x h} image moves to the stated position. Rotations are
 * clockwise as seen on screen. {@code ImageSignature.dihedral().get(t.ordinal())} is the hash the
 * image would have after transform {@code t}; a query matches a rotated or mirrored copy in the
 * index by comparing all eight of its variants against the stored {@link ImageSignature#hash()}.
 */
public enum DihedralTransform {
  /** The image as it is. */
  IDENTITY,
  /** Rotated 90° clockwise: {@code (x, y) -> (h - 1 - y, x)}. */
  ROTATE_90,
  /** Rotated 180°: {@code (x, y) -> (w - 1 - x, h - 1 - y)}. */
  ROTATE_180,
  /** Rotated 270° clockwise (90° counter-clockwise): {@code (x, y) -> (y, w - 1 - x)}. */
  ROTATE_270,
  /** Mirrored left to right, about the vertical axis: {@code (x, y) -> (w - 1 - x, y)}. */
  MIRROR_X,
  /** Mirrored top to bottom, about the horizontal axis: {@code (x, y) -> (x, h - 1 - y)}. */
  MIRROR_Y,
  /** Mirrored about the main diagonal: {@code (x, y) -> (y, x)}. */
  TRANSPOSE,
  /** Mirrored about the anti-diagonal: {@code (x, y) -> (h - 1 - y, w - 1 - x)}. */
  ANTI_TRANSPOSE;

  /** Where this transform moves cell {@code (x, y)} of an {@code n x n} grid, as {@code {x', y'}}. */
  public int[] moveCell(int x, int y, int n) {
    int m = n - 1;
    return switch (this) {
      case IDENTITY -> new int[] {x, y};
      case ROTATE_90 -> new int[] {m - y, x};
      case ROTATE_180 -> new int[] {m - x, m - y};
      case ROTATE_270 -> new int[] {y, m - x};
      case MIRROR_X -> new int[] {m - x, y};
      case MIRROR_Y -> new int[] {x, m - y};
      case TRANSPOSE -> new int[] {y, x};
      case ANTI_TRANSPOSE -> new int[] {m - y, m - x};
    };
  }
}
