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
  /** More bands than this on one side are a pattern (stripes), not a frame. */
  static final int MAX_BANDS = 4;
  /**
   * Block lines of JPEG ringing allowed between a border and the content: 16 pixels, the reach of
   * half-resolution chroma.
   */
  static final int RINGING_LINES = 4;
  /** Rounds of trimming at most; frames seen in practice settle in two or three. */
  private static final int MAX_ROUNDS = 6;

  private BorderTrimmer() {}

  /** Bounds of the content of an interleaved BGR buffer, in pixels. */
  static ContentBounds trim(byte[] bgr, int width, int height) {
    int bw = (width + BLOCK - 1) / BLOCK;
    int bh = (height + BLOCK - 1) / BLOCK;
    // Sum channels as integers and convert per block: the conversion is linear, and three
    // integer additions per pixel are several times cheaper than a weighted float sum.
    int[] sums = new int[bw * 3];
    float[][] blocks = new float[3][bw * bh];
    for (int by = 0; by < bh; by++) {
      java.util.Arrays.fill(sums, 0);
      int rows = Math.min(BLOCK, height - by * BLOCK);
      for (int y = by * BLOCK; y < by * BLOCK + rows; y++) {
        int p = y * width * 3;
        for (int bx = 0; bx < bw; bx++) {
          int end = p + Math.min(BLOCK, width - bx * BLOCK) * 3;
          int sb = 0, sg = 0, sr = 0;
          for (; p < end; p += 3) {
            sb += bgr[p] & 0xFF;
            sg += bgr[p + 1] & 0xFF;
            sr += bgr[p + 2] & 0xFF;
          }
          sums[3 * bx] += sb;
          sums[3 * bx + 1] += sg;
          sums[3 * bx + 2] += sr;
        }
      }
      for (int bx = 0; bx < bw; bx++) {
        float n = rows * Math.min(BLOCK, width - bx * BLOCK);
        float b = sums[3 * bx] / n, r = sums[3 * bx + 2] / n;
        float y = FeatureExtractor.luminance(b, sums[3 * bx + 1] / n, r);
        blocks[0][by * bw + bx] = y;
        // Chroma as in YCbCr, in the same levels: teal padding next to a grey picture of the same
        // luminance is still a border.
        blocks[1][by * bw + bx] = 0.564f * (b - y);
        blocks[2][by * bw + bx] = 0.713f * (r - y);
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
    Lines rows = new Lines(blocks, bw, bh, true, b.left(), b.right());
    Lines cols = new Lines(blocks, bw, bh, false, b.top(), b.bottom());
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
  static ContentBounds trimBlocks(float[][] luma, int width, int height) {
    int top = 0, bottom = height, left = 0, right = width;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Lines rows = new Lines(luma, width, height, true, left, right);
      Lines cols = new Lines(luma, width, height, false, top, bottom);
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
    int firstBandEnd = 0;
    int bands = 1;
    int previous = first;
    while (n < max) {
      int line = first + dir * n;
      if (lines.flatShare(line, FLAT_TOLERANCE) < FLAT_SHARE) {
        // A thin band (a window edge) and its neighbours blend into one block line: step over it
        // when a flat line of another colour follows.
        int next = line + dir;
        if (n + 1 < max && lines.flatShare(next, FLAT_TOLERANCE) >= FLAT_SHARE
            && lines.step(next, previous) > STEP) {
          n++;
          continue;
        }
        break;
      }
      if (lines.step(line, previous) > STEP) {
        if (bands == 1) {
          firstBandEnd = n;
        }
        bandStart = n;
        bands++;
      }
      previous = line;
      n++;
    }
    if (n == 0) {
      return 0;
    }
    if (n == max) {
      // Flat up to the limit: a blank picture, or stripes, whose every stripe is a band. Only an
      // outer band of another colour can be a border then.
      return bands > MAX_BANDS ? 0 : firstBandEnd;
    }
    // JPEG ringing leaves up to a block of nearly flat lines of the border's colour next to the
    // content; they belong to the border.
    int end = n;
    while (end < Math.min(max, n + RINGING_LINES)
        && lines.flatShare(first + dir * end, CONTENT_TOLERANCE) >= FLAT_SHARE
        && lines.step(first + dir * end, previous) <= STEP) {
      end++;
    }
    // Keep the last band only if clear content follows: the next line, or the one after it,
    // since a border edge inside a block makes the first block line a blend of both.
    for (int k = end; k < Math.min(count, end + 2); k++) {
      int line = first + dir * k;
      if (lines.flatShare(line, CONTENT_TOLERANCE) < CONTENT_SHARE || lines.step(line, previous) > STEP) {
        return end;
      }
    }
    return bandStart;
  }

  /** Rows (or columns) of the luminance buffer restricted to {@code [from, to)} of the other axis. */
  private static final class Lines {
    private final float[][] planes;
    private final int width;
    private final boolean rows;
    private final int from;
    private final int to;
    /** Per line and channel, the median block value; NaN until computed. */
    private final float[] medians;
    private float[] scratch = new float[0];

    Lines(float[][] planes, int width, int height, boolean rows, int from, int to) {
      this.planes = planes;
      this.width = width;
      this.rows = rows;
      this.from = from;
      this.to = to;
      this.medians = new float[3 * (rows ? height : width)];
      java.util.Arrays.fill(medians, Float.NaN);
    }

    private int index(int line, int k) {
      return rows ? line * width + k : k * width + line;
    }

    /**
     * The line's median block in channel {@code c} (0 luminance, 1 and 2 chroma): the colour of
     * the line, unmoved by the few blocks where a thin window edge or a logo crosses it.
     */
    float median(int line, int c) {
      float m = medians[3 * line + c];
      if (Float.isNaN(m)) {
        int n = to - from;
        if (scratch.length < n) {
          scratch = new float[n];
        }
        float[] plane = planes[c];
        for (int k = from; k < to; k++) {
          scratch[k - from] = plane[index(line, k)];
        }
        java.util.Arrays.sort(scratch, 0, n);
        m = (scratch[(n - 1) / 2] + scratch[n / 2]) / 2;
        medians[3 * line + c] = m;
      }
      return m;
    }

    float median(int line) {
      return median(line, 0);
    }

    /** The largest difference between the two lines' colours, over the three channels. */
    float step(int a, int b) {
      float d = 0;
      for (int c = 0; c < 3; c++) {
        d = Math.max(d, Math.abs(median(a, c) - median(b, c)));
      }
      return d;
    }

    /** Share of the line's blocks within {@code tolerance} of its colour (luminance levels). */
    double flatShare(int line, float tolerance) {
      float m0 = median(line, 0), m1 = median(line, 1), m2 = median(line, 2);
      int flat = 0;
      for (int k = from; k < to; k++) {
        int i = index(line, k);
        // Chroma gets twice the tolerance: JPEG stores it at half resolution and coarser.
        if (Math.abs(planes[0][i] - m0) <= tolerance && Math.abs(planes[1][i] - m1) <= 2 * tolerance
            && Math.abs(planes[2][i] - m2) <= 2 * tolerance) {
          flat++;
        }
      }
      return (double) flat / (to - from);
    }
  }
}
