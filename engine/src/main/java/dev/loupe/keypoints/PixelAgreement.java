package dev.loupe.keypoints;

import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;

/**
 * Checks an alignment against the pixels: do the two pictures agree over the region they share,
 * not only at the matched keypoints? Keypoints can agree on a small shared element (the words of a
 * caption in the same font, a logo, the buttons of a browser window) while the pictures around it
 * differ; a real copy agrees almost everywhere it is not covered.
 *
 * <p>The query frame is cut into a {@value #GRID} x {@value #GRID} grid. Each cell that lies inside
 * the shared region is sampled at {@value #SUB} x {@value #SUB} points in both pictures (box means
 * over summed-area tables of the grey values; the candidate is read from its stored thumbnail
 * through the alignment's transform). A cell agrees when the samples' correlation is at least
 * {@value #CELL_CORRELATION}; a cell flat in both pictures agrees when its levels match after one
 * gain and offset fitted over the whole shared region (so recoloured copies agree and two different
 * plain areas do not); a cell flat in one picture only disagrees. Correlation ignores brightness and
 * contrast, so recoloured and grey copies agree. The result is the share of agreeing cells. About 0.2
 * ms plus the thumbnail's decode.
 */
public final class PixelAgreement {
  static final int GRID = 12;
  static final int SUB = 4;
  static final double CELL_CORRELATION = 0.5;
  /** Copies found by keypoints need at least this share of agreeing cells (docs/local-features.md). */
  public static final double MIN_AGREEMENT = 0.5;
  /** Standard deviation, in grey levels, under which a cell's samples are flat. */
  private static final double FLAT = 4;
  /** Flat cells in both pictures agree when their levels differ by at most this, after the level fit. */
  private static final double FLAT_LEVEL = 12;
  /** Fewer informative cells than this cannot decide. */
  private static final int MIN_CELLS = 6;

  private PixelAgreement() {}

  /**
   * The share of informative shared cells whose pixels agree, 0..1, or NaN when fewer than
   * {@value #MIN_CELLS} cells are informative (too little texture or overlap to tell).
   *
   * @param query the query's working-resolution pixels (the frame of {@code queryFrame})
   * @param hit the candidate's thumbnail pixels
   * @param hitFrame the candidate's keypoint frame, which the transform maps to
   * @param transform row-major 3 x 3, query frame to candidate frame
   * @param mirrored whether the transform starts from the mirrored query frame
   */
  public static double agreement(
      DecodedImage query, DecodedImage hit, LocalFeatures hitFrame, double[] transform, boolean mirrored) {
    return agreement(prepare(query), hit, hitFrame, transform, mirrored);
  }

  /** A query's pixels with their summed-area table, made once and checked against several candidates. */
  public record Prepared(DecodedImage image, long[] table) {}

  public static Prepared prepare(DecodedImage query) {
    return new Prepared(query, integral(query));
  }

  /** As {@link #agreement(DecodedImage, DecodedImage, LocalFeatures, double[], boolean)}, with a prepared query. */
  public static double agreement(
      Prepared prepared, DecodedImage hit, LocalFeatures hitFrame, double[] transform, boolean mirrored) {
    Cells cells = sample(prepared, hit, hitFrame, transform, mirrored);
    double[][] qa = cells.query();
    double[][] hb = cells.hit();
    int cellCount = GRID * GRID;
    // Brightness and contrast may differ between copies: fit query = gain * hit + offset over every
    // sample of the shared region, so that flat cells can be compared by level.
    double[] fit = levelFit(qa, hb);
    int agree = 0;
    int informative = 0;
    for (int c = 0; c < cellCount; c++) {
      double[] a = qa[c];
      double[] b = hb[c];
      if (a == null) {
        continue;
      }
      double sa = std(a);
      double sb = std(b);
      if (sa < FLAT && sb < FLAT) {
        // Flat in both: the same level (after the fit) agrees, two different plain areas do not.
        informative++;
        if (Math.abs(mean(a) - (fit[0] * mean(b) + fit[1])) <= FLAT_LEVEL) {
          agree++;
        }
      } else {
        // Textured in both: agree when correlated. Flat in one only: disagree.
        informative++;
        if (sa >= FLAT && sb >= FLAT && correlation(a, b) >= CELL_CORRELATION) {
          agree++;
        }
      }
    }
    return informative < MIN_CELLS ? Double.NaN : (double) agree / informative;
  }

  /** Each grid cell's samples in both pictures ({@code null} for a cell not wholly inside the shared region). */
  private record Cells(double[][] query, double[][] hit, double cellWidth, double cellHeight) {}

  private static Cells sample(
      Prepared prepared, DecodedImage hit, LocalFeatures hitFrame, double[] transform, boolean mirrored) {
    DecodedImage query = prepared.image();
    int qw = query.pixelWidth();
    int qh = query.pixelHeight();
    int hw = hit.pixelWidth();
    int hh = hit.pixelHeight();
    double sx = (double) hw / hitFrame.frameWidth();
    double sy = (double) hh / hitFrame.frameHeight();
    long[] qSum = prepared.table();
    long[] hSum = integral(hit);
    double cellW = (double) qw / GRID;
    double cellH = (double) qh / GRID;
    double radius = Math.max(1, Math.min(cellW, cellH) / SUB / 2);
    double[] jac = {transform[0], transform[1], transform[3], transform[4]};
    double scale = Math.sqrt(Math.abs(jac[0] * jac[3] - jac[1] * jac[2])) * Math.sqrt(sx * sy);
    double hitRadius = Math.max(0.5, radius * scale);
    int cellCount = GRID * GRID;
    double[][] qa = new double[cellCount][];
    double[][] hb = new double[cellCount][];
    for (int gy = 0; gy < GRID; gy++) {
      cells:
      for (int gx = 0; gx < GRID; gx++) {
        double[] a = new double[SUB * SUB];
        double[] b = new double[SUB * SUB];
        int k = 0;
        for (int j = 0; j < SUB; j++) {
          for (int i = 0; i < SUB; i++) {
            double x = (gx + (i + 0.5) / SUB) * cellW;
            double y = (gy + (j + 0.5) / SUB) * cellH;
            double w = transform[6] * x + transform[7] * y + transform[8];
            double u = (transform[0] * x + transform[1] * y + transform[2]) / w * sx;
            double v = (transform[3] * x + transform[4] * y + transform[5]) / w * sy;
            if (!(w > 0) || u < 0 || v < 0 || u >= hw || v >= hh) {
              continue cells; // the cell is not wholly inside the shared region
            }
            a[k] = boxMean(qSum, qw, qh, mirrored ? qw - x : x, y, radius);
            b[k] = boxMean(hSum, hw, hh, u, v, hitRadius);
            k++;
          }
        }
        qa[gy * GRID + gx] = a;
        hb[gy * GRID + gx] = b;
      }
    }
    return new Cells(qa, hb, cellW, cellH);
  }

  /**
   * The agreement away from where the keypoints matched, for an alignment whose inliers lie in a
   * thin strip or a small patch ({@link Alignment#concentrated}): the rows of cells that {@code
   * evidence} spans (and the next row each side) are left out when it is thin in height, the columns
   * when it is thin in width. There, the words of two captions in the same font at the same place
   * agree even when the words differ, and the rest of the pictures is what tells a copy. Only cells
   * with texture in at least one picture count: two different smooth pictures level-fit to each
   * other, so flat cells cannot confirm a match the keypoints found in a line of text. NaN when
   * fewer than {@value #MIN_CELLS} such cells are left.
   *
   * @param hitFrame the candidate's keypoint frame, which the alignment's transform maps to
   * @param mirrored whether the alignment starts from the mirrored query frame
   */
  public static double agreementAway(
      Prepared prepared, DecodedImage hit, LocalFeatures hitFrame, Alignment alignment, boolean mirrored) {
    Cells cells = sample(prepared, hit, hitFrame, alignment.transform(), mirrored);
    double[] evidence = alignment.evidence();
    boolean thinRows = alignment.thinInHeight();
    boolean thinColumns = alignment.thinInWidth();
    int agree = 0;
    int informative = 0;
    for (int gy = 0; gy < GRID; gy++) {
      if (thinRows && spans(gy, cells.cellHeight(), evidence[1], evidence[3])) {
        continue;
      }
      for (int gx = 0; gx < GRID; gx++) {
        if (thinColumns && spans(gx, cells.cellWidth(), evidence[0], evidence[2])) {
          continue;
        }
        double[] a = cells.query()[gy * GRID + gx];
        double[] b = cells.hit()[gy * GRID + gx];
        if (a == null) {
          continue;
        }
        boolean texturedA = std(a) >= FLAT;
        boolean texturedB = std(b) >= FLAT;
        if (texturedA || texturedB) {
          informative++;
          if (texturedA && texturedB && correlation(a, b) >= CELL_CORRELATION) {
            agree++;
          }
        }
      }
    }
    return informative < MIN_CELLS ? Double.NaN : (double) agree / informative;
  }

  /** Whether cell {@code i} of side {@code cell} lies within one cell of [{@code from}, {@code to}]. */
  private static boolean spans(int i, double cell, double from, double to) {
    return (i + 1) * cell > from - cell && i * cell < to + cell;
  }

  /** Least-squares {gain, offset} of query samples against candidate samples; {1, 0} when degenerate. */
  private static double[] levelFit(double[][] qa, double[][] hb) {
    double n = 0;
    double sq = 0;
    double sh = 0;
    double shh = 0;
    double sqh = 0;
    for (int c = 0; c < qa.length; c++) {
      if (qa[c] == null) {
        continue;
      }
      for (int i = 0; i < qa[c].length; i++) {
        double q = qa[c][i];
        double h = hb[c][i];
        n++;
        sq += q;
        sh += h;
        shh += h * h;
        sqh += q * h;
      }
    }
    double var = n * shh - sh * sh;
    if (n < 2 || var <= 1e-9) {
      return new double[] {1, 0};
    }
    double gain = (n * sqh - sh * sq) / var;
    if (!(gain > 0.2 && gain < 5)) {
      return new double[] {1, (sq - sh) / n};
    }
    return new double[] {gain, (sq - gain * sh) / n};
  }

  private static double mean(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x;
    }
    return m / v.length;
  }

  /** Summed-area table of the grey values, (w + 1) x (h + 1). */
  private static long[] integral(DecodedImage image) {
    int w = image.pixelWidth();
    int h = image.pixelHeight();
    byte[] bgr = image.bgr();
    long[] sum = new long[(w + 1) * (h + 1)];
    for (int y = 0; y < h; y++) {
      long row = 0;
      for (int x = 0; x < w; x++) {
        int p = 3 * (y * w + x);
        row += (114 * (bgr[p] & 0xff) + 587 * (bgr[p + 1] & 0xff) + 299 * (bgr[p + 2] & 0xff)) / 1000;
        sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
      }
    }
    return sum;
  }

  private static double boxMean(long[] sum, int w, int h, double cx, double cy, double r) {
    int x0 = clamp((int) Math.floor(cx - r), w);
    int x1 = clamp((int) Math.ceil(cx + r), w);
    int y0 = clamp((int) Math.floor(cy - r), h);
    int y1 = clamp((int) Math.ceil(cy + r), h);
    if (x1 <= x0) {
      x1 = Math.min(w, x0 + 1);
      x0 = x1 - 1;
    }
    if (y1 <= y0) {
      y1 = Math.min(h, y0 + 1);
      y0 = y1 - 1;
    }
    int stride = w + 1;
    long s = sum[y1 * stride + x1] - sum[y0 * stride + x1] - sum[y1 * stride + x0] + sum[y0 * stride + x0];
    return (double) s / ((x1 - x0) * (y1 - y0));
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  private static double std(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    return Math.sqrt(var / v.length);
  }

  private static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
  }
}
