package dev.loupe.features;

/**
 * Finds the content of an image inside uniform borders: letterboxing, padding of any colour, the
 * flat frame and title bar of a screenshot.
 *
 * <p>Works on the mean luminance of {@value #BLOCK} x {@value #BLOCK} pixel blocks, then places
 * each trimmed edge to the pixel. Averaging blocks removes fine texture and JPEG ringing, which
 * would otherwise make a textured background flat in one copy and not in the next; real padding is
 * flat at every scale.
 *
 * <p>A line (a row or column of blocks) is <em>flat</em> when at least {@link #FLAT_SHARE} of its
 * blocks are within {@link #FLAT_TOLERANCE} levels of its median. From each edge inwards, flat lines
 * are trimmed whatever their colour, because a frame is often several flat bands (desktop, window
 * edge, title bar): a jump of more than {@link #STEP} levels between neighbouring lines starts a
 * new band, and a single blended line between two bands (a one-pixel window edge) is stepped over.
 * The last band is kept trimmed only if it ends at clear content: the first non-flat line or the
 * next has under {@link #CONTENT_SHARE} of its blocks near its median, or a jump in colour. Otherwise
 * the band fades into the picture (a shaded studio background, a sky, sparse objects on a plain
 * ground) where the stopping point would depend on noise, and the trim falls back to the start of
 * that band: the original and its padded copy then both keep that background.
 *
 * <p>Lines are judged within the bounds found so far on the other axis, in rounds until nothing
 * changes: the title bar rows of a window become flat only once the desktop columns beside them
 * are gone. Rows and columns of a round are judged from the same state, so the result commutes
 * with rotations and mirrors, which the dihedral hash variants rely on. At most {@link
 * #MAX_TRIM_FRACTION} of a dimension is trimmed from each side; a side whose flat lines reach that
 * limit (a blank image, vertical stripes, a tiny logo on a large canvas) is trimmed only to the
 * start of its last band.
 */
final class BorderTrimmer {
  /** Side of the pixel blocks lines are made of. */
  static final int BLOCK = 4;
  /** Largest share of the width (height) trimmed from each side. */
  static final double MAX_TRIM_FRACTION = 0.45;
  /** Luminance distance from the line median within which a block counts as flat, 0..255 levels. */
  static final float FLAT_TOLERANCE = 3f;
  /** The same for single pixels when placing a border edge inside a block (JPEG ringing). */
  static final float PIXEL_TOLERANCE = 6f;
  /** Tolerance for judging whether a line is clearly content. */
  static final float CONTENT_TOLERANCE = 6f;
  /** Share of a line's blocks that must be flat for the line to be a border line. */
  static final double FLAT_SHARE = 0.95;
  /** A line with fewer blocks within {@link #CONTENT_TOLERANCE} of its median is clearly content. */
  static final double CONTENT_SHARE = 0.75;
  /** A change of line median larger than this, in levels, starts a new band or the content. */
  static final float STEP = 12f;
  /** Rounds of trimming at most; frames seen in practice settle in two or three. */
  private static final int MAX_ROUNDS = 6;

  private BorderTrimmer() {}

  /** Bounds of the content of an interleaved BGR buffer, in pixels. */
  static ContentBounds trim(byte[] bgr, int width, int height) {
    int bw = (width + BLOCK - 1) / BLOCK;
    int bh = (height + BLOCK - 1) / BLOCK;
    float[] blocks = new float[bw * bh];
    for (int y = 0, p = 0; y < height; y++) {
      int row = (y / BLOCK) * bw;
      for (int x = 0; x < width; x++, p += 3) {
        blocks[row + x / BLOCK] += FeatureExtractor.luminance(bgr[p] & 0xFF, bgr[p + 1] & 0xFF, bgr[p + 2] & 0xFF);
      }
    }
    for (int by = 0; by < bh; by++) {
      int rows = Math.min(BLOCK, height - by * BLOCK);
      for (int bx = 0; bx < bw; bx++) {
        blocks[by * bw + bx] /= rows * Math.min(BLOCK, width - bx * BLOCK);
      }
    }
    ContentBounds b = trimBlocks(blocks, bw, bh);
    int left = b.left() * BLOCK;
    int top = b.top() * BLOCK;
    int right = Math.min(width, b.right() * BLOCK);
    int bottom = Math.min(height, b.bottom() * BLOCK);
    // Border edges rarely fall on block edges: move each trimmed side by up to BLOCK - 1 pixels
    // over pixel lines that still have the border's colour. Without this, a sliver of padding
    // of up to three pixels stays, and its hard edge costs ten or more hash bits.
    int t = top, bt = bottom, l = left, r = right;
    Lines rows = new Lines(blocks, bw, true, b.left(), b.right());
    Lines cols = new Lines(blocks, bw, false, b.top(), b.bottom());
    if (b.top() > 0) {
      t = refine(bgr, width, true, top, 1, left, right, rows.median(b.top() - 1), bottom);
    }
    if (b.bottom() < bh) {
      bt = refine(bgr, width, true, bottom - 1, -1, left, right, rows.median(b.bottom()), top) + 1;
    }
    if (b.left() > 0) {
      l = refine(bgr, width, false, left, 1, top, bottom, cols.median(b.left() - 1), right);
    }
    if (b.right() < bw) {
      r = refine(bgr, width, false, right - 1, -1, top, bottom, cols.median(b.right()), left) + 1;
    }
    return new ContentBounds(l, t, r, bt);
  }

  /**
   * The first pixel line from {@code start} (moving by {@code dir}, at most BLOCK - 1 lines) that
   * is not flat in the border's colour {@code border}.
   */
  private static int refine(byte[] bgr, int width, boolean rows, int start, int dir, int from, int to,
      float border, int limit) {
    int line = start;
    for (int k = 0; k < BLOCK - 1 && line + dir != limit; k++) {
      int flat = 0;
      for (int i = from; i < to; i++) {
        int p = 3 * (rows ? line * width + i : i * width + line);
        float v = FeatureExtractor.luminance(bgr[p] & 0xFF, bgr[p + 1] & 0xFF, bgr[p + 2] & 0xFF);
        if (Math.abs(v - border) <= PIXEL_TOLERANCE) {
          flat++;
        }
      }
      if (flat < FLAT_SHARE * (to - from)) {
        break;
      }
      line += dir;
    }
    return line;
  }

  /**
   * @param luma luminance of a {@code width x height} grid, row by row
   */
  static ContentBounds trimBlocks(float[] luma, int width, int height) {
    int top = 0, bottom = height, left = 0, right = width;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Lines rows = new Lines(luma, width, true, left, right);
      Lines cols = new Lines(luma, width, false, top, bottom);
      int t = trimSide(rows, 0, 1, height);
      int b = height - trimSide(rows, height - 1, -1, height);
      int l = trimSide(cols, 0, 1, width);
      int r = width - trimSide(cols, width - 1, -1, width);
      if (t == top && b == bottom && l == left && r == right) {
        break;
      }
      top = t;
      bottom = b;
      left = l;
      right = r;
    }
    return new ContentBounds(left, top, right, bottom);
  }

  /** Number of lines to trim starting at {@code first}, moving by {@code dir}. */
  private static int trimSide(Lines lines, int first, int dir, int count) {
    int max = (int) (MAX_TRIM_FRACTION * count);
    int n = 0;
    int bandStart = 0;
    float previous = lines.median(first);
    while (n < max) {
      if (lines.flatShare(first + dir * n, FLAT_TOLERANCE) < FLAT_SHARE) {
        // A thin band (a window edge) and its neighbours blend into one block line: step over it
        // when a flat line of another colour follows.
        int next = first + dir * (n + 1);
        if (n + 1 < max && lines.flatShare(next, FLAT_TOLERANCE) >= FLAT_SHARE
            && Math.abs(lines.median(next) - previous) > STEP) {
          n++;
          continue;
        }
        break;
      }
      float median = lines.median(first + dir * n);
      if (Math.abs(median - previous) > STEP) {
        bandStart = n;
      }
      previous = median;
      n++;
    }
    if (n == 0 || n == max) {
      return bandStart;
    }
    // Keep the last band only if clear content follows: the first non-flat line, or the one after
    // it, since a border edge inside a block makes the first block line a blend of both.
    for (int k = n; k < Math.min(count, n + 2); k++) {
      int line = first + dir * k;
      if (lines.flatShare(line, CONTENT_TOLERANCE) < CONTENT_SHARE
          || Math.abs(lines.median(line) - previous) > STEP) {
        return n;
      }
    }
    return bandStart;
  }

  /** Rows (or columns) of the luminance buffer restricted to {@code [from, to)} of the other axis. */
  private static final class Lines {
    private final float[] luma;
    private final int width;
    private final boolean rows;
    private final int from;
    private final int to;
    private int cachedLine = -1;
    private float cachedMedian;
    private float[] scratch = new float[0];

    Lines(float[] luma, int width, boolean rows, int from, int to) {
      this.luma = luma;
      this.width = width;
      this.rows = rows;
      this.from = from;
      this.to = to;
    }

    private int index(int line, int k) {
      return rows ? line * width + k : k * width + line;
    }

    /**
     * The line's median block: the colour of the line, unmoved by the few blocks where a thin
     * window edge or a logo crosses it.
     */
    float median(int line) {
      if (line != cachedLine) {
        int n = to - from;
        if (scratch.length < n) {
          scratch = new float[n];
        }
        for (int k = from; k < to; k++) {
          scratch[k - from] = luma[index(line, k)];
        }
        java.util.Arrays.sort(scratch, 0, n);
        cachedMedian = (scratch[(n - 1) / 2] + scratch[n / 2]) / 2;
        cachedLine = line;
      }
      return cachedMedian;
    }

    double flatShare(int line, float tolerance) {
      float median = median(line);
      int flat = 0;
      for (int k = from; k < to; k++) {
        if (Math.abs(luma[index(line, k)] - median) <= tolerance) {
          flat++;
        }
      }
      return (double) flat / (to - from);
    }
  }
}
