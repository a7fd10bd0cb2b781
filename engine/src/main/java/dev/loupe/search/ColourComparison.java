package dev.loupe.search;

import dev.loupe.features.ContentBounds;
import dev.loupe.features.DihedralTransform;
import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import java.util.Arrays;

/**
 * The colours of two aligned pictures, compared cell by cell: can a recolouring edit (grey, sepia,
 * brightness and contrast, a colour filter) turn one into the other, and were the colours changed
 * at all?
 *
 * <p>The query is cut into a {@value #GRID} x {@value #GRID} grid; each cell's mean colour over its
 * central {@value #INNER_PERCENT}% (away from the cell's edges, so that a resize or a small shift
 * mixes in little of the neighbouring cells) is paired with the mean colour of the same region of
 * the candidate, read from its stored thumbnail. Two alignments are supported: a hash match (the
 * trimmed contents, one turned by the matching {@link DihedralTransform}) and a keypoint alignment
 * (the verifier's transform, cells wholly inside the shared region only).
 *
 * <p>From the pairs, in YCbCr (0..255, chroma centred on 0):
 *
 * <ul>
 *   <li><b>chroma spread</b> of each side: the RMS distance of the cells' chroma from their mean.
 *       A grey, sepia or uniformly tinted picture has almost none;
 *   <li><b>chroma residual</b>: the RMS error of the best fit {@code query = s * candidate + t}
 *       of the chroma vectors ({@code s >= 0}, one saturation factor, and one tint {@code t}),
 *       divided by the query's spread. Contrast, saturation and colour-cast filters fit with a
 *       small residual; a hue swap (red for green, blue for yellow) does not, because no saturation
 *       change and tint moves different hues to different places;
 *   <li><b>shift</b>: the median over cells of the largest difference of R, G or B, the amount of
 *       recolouring shown in {@link Differences#recoloured()}.
 * </ul>
 */
final class ColourComparison {
  static final int GRID = 12;
  static final int INNER_PERCENT = 50;
  /** Fewer cells than this cannot decide. */
  static final int MIN_CELLS = 16;

  private final float[] query;
  private final float[] hit;
  private final int cells;

  private ColourComparison(float[] query, float[] hit, int cells) {
    this.query = query;
    this.hit = hit;
    this.cells = cells;
  }

  /** Number of aligned cells compared. */
  int cells() {
    return cells;
  }

  /** Whether there are enough cells to decide. */
  boolean decides() {
    return cells >= MIN_CELLS;
  }

  /**
   * Pairs the cells of a hash match: the query's trimmed content turned by {@code variant} against
   * the candidate's trimmed content.
   */
  static ColourComparison ofHashMatch(DecodedImage queryImage, DecodedImage hitImage, DihedralTransform variant) {
    return ofHashMatch(queryImage, hitImage, variant, GRID);
  }

  /** {@link #ofHashMatch(DecodedImage, DecodedImage, DihedralTransform)} on a {@code grid} x {@code grid} grid. */
  static ColourComparison ofHashMatch(DecodedImage queryImage, DecodedImage hitImage, DihedralTransform variant, int grid) {
    ContentBounds qb = FeatureExtractor.contentBounds(queryImage);
    ContentBounds hb = FeatureExtractor.contentBounds(hitImage);
    float[] q = new float[3 * grid * grid];
    float[] h = new float[3 * grid * grid];
    int k = 0;
    for (int y = 0; y < grid; y++) {
      for (int x = 0; x < grid; x++) {
        int[] to = variant.moveCell(x, y, grid);
        cellMean(queryImage, qb, grid, x, y, q, 3 * k);
        cellMean(hitImage, hb, grid, to[0], to[1], h, 3 * k);
        k++;
      }
    }
    return new ColourComparison(q, h, k);
  }

  /**
   * Pairs the cells of a keypoint alignment.
   *
   * @param queryImage the query's working-resolution pixels (the frame of the query's keypoints)
   * @param hitImage the candidate's thumbnail
   * @param hitFrame the candidate's keypoint frame, which the transform maps to
   * @param transform row-major 3 x 3, query frame to candidate frame
   * @param mirrored whether the transform starts from the mirrored query frame
   */
  static ColourComparison ofAlignment(
      DecodedImage queryImage, DecodedImage hitImage, LocalFeatures hitFrame, double[] transform, boolean mirrored) {
    return ofAlignment(queryImage, hitImage, hitFrame, transform, mirrored, GRID);
  }

  /** {@link #ofAlignment(DecodedImage, DecodedImage, LocalFeatures, double[], boolean)} on a {@code grid} x {@code grid} grid. */
  static ColourComparison ofAlignment(DecodedImage queryImage, DecodedImage hitImage, LocalFeatures hitFrame,
      double[] transform, boolean mirrored, int grid) {
    int qw = queryImage.pixelWidth();
    int qh = queryImage.pixelHeight();
    int hw = hitImage.pixelWidth();
    int hh = hitImage.pixelHeight();
    double sx = (double) hw / hitFrame.frameWidth();
    double sy = (double) hh / hitFrame.frameHeight();
    double cellW = (double) qw / grid;
    double cellH = (double) qh / grid;
    double half = INNER_PERCENT / 200.0;
    double scale = Math.sqrt(Math.abs(transform[0] * transform[4] - transform[1] * transform[3])) * Math.sqrt(sx * sy);
    float[] q = new float[3 * grid * grid];
    float[] h = new float[3 * grid * grid];
    int k = 0;
    for (int gy = 0; gy < grid; gy++) {
      cells:
      for (int gx = 0; gx < grid; gx++) {
        // The cell's corners must map inside the candidate.
        for (int corner = 0; corner < 4; corner++) {
          double[] uv = map(transform, (gx + (corner & 1)) * cellW, (gy + (corner >> 1)) * cellH, sx, sy);
          if (uv == null || uv[0] < 0 || uv[1] < 0 || uv[0] > hw || uv[1] > hh) {
            continue cells;
          }
        }
        double cx = (gx + 0.5) * cellW;
        double cy = (gy + 0.5) * cellH;
        double[] uv = map(transform, cx, cy, sx, sy);
        double qx = mirrored ? qw - cx : cx;
        boxMean(queryImage, qx - half * cellW, cy - half * cellH, qx + half * cellW, cy + half * cellH, q, 3 * k);
        double rw = half * cellW * scale;
        double rh = half * cellH * scale;
        boxMean(hitImage, uv[0] - rw, uv[1] - rh, uv[0] + rw, uv[1] + rh, h, 3 * k);
        k++;
      }
    }
    return new ColourComparison(Arrays.copyOf(q, 3 * k), Arrays.copyOf(h, 3 * k), k);
  }

  private static double[] map(double[] t, double x, double y, double sx, double sy) {
    double w = t[6] * x + t[7] * y + t[8];
    if (!(w > 0)) {
      return null;
    }
    return new double[] {(t[0] * x + t[1] * y + t[2]) / w * sx, (t[3] * x + t[4] * y + t[5]) / w * sy};
  }

  /** Mean B, G, R of the central part of cell (x, y) of a {@code grid} x {@code grid} grid over {@code b}. */
  private static void cellMean(DecodedImage image, ContentBounds b, int grid, int x, int y, float[] out, int at) {
    double cw = (double) b.width() / grid;
    double ch = (double) b.height() / grid;
    double half = INNER_PERCENT / 200.0;
    double cx = b.left() + (x + 0.5) * cw;
    double cy = b.top() + (y + 0.5) * ch;
    boxMean(image, cx - half * cw, cy - half * ch, cx + half * cw, cy + half * ch, out, at);
  }

  /** Mean B, G, R over the pixels of [x0, x1) x [y0, y1), clamped to the image, at least one pixel. */
  private static void boxMean(DecodedImage image, double x0, double y0, double x1, double y1, float[] out, int at) {
    int w = image.pixelWidth();
    int h = image.pixelHeight();
    int left = Math.clamp((long) Math.floor(x0), 0, w - 1);
    int top = Math.clamp((long) Math.floor(y0), 0, h - 1);
    int right = Math.clamp((long) Math.ceil(x1), left + 1, w);
    int bottom = Math.clamp((long) Math.ceil(y1), top + 1, h);
    byte[] bgr = image.bgr();
    long b = 0;
    long g = 0;
    long r = 0;
    for (int y = top; y < bottom; y++) {
      int p = 3 * (y * w + left);
      for (int x = left; x < right; x++, p += 3) {
        b += bgr[p] & 0xff;
        g += bgr[p + 1] & 0xff;
        r += bgr[p + 2] & 0xff;
      }
    }
    double n = (double) (right - left) * (bottom - top);
    out[at] = (float) (b / n);
    out[at + 1] = (float) (g / n);
    out[at + 2] = (float) (r / n);
  }

  /** The chroma spread ({@link #queryChromaSpread}) of one picture's cells over its trimmed content. */
  static double chromaSpread(DecodedImage image) {
    ContentBounds b = FeatureExtractor.contentBounds(image);
    float[] cells = new float[3 * GRID * GRID];
    for (int y = 0; y < GRID; y++) {
      for (int x = 0; x < GRID; x++) {
        cellMean(image, b, GRID, x, y, cells, 3 * (y * GRID + x));
      }
    }
    return new ColourComparison(cells, cells, GRID * GRID).queryChromaSpread();
  }

  /**
   * The share of the {@value #GRID} x {@value #GRID} cells that are flat: in each channel, the
   * pixels (every second one of the cell) vary by at most {@code flatLevels} (standard deviation),
   * around their mean or, {@code detrended}, around their best plane {@code a + b x + c y} (least
   * squares). Flags, icons and clip art are mostly flat, photographs almost nowhere; detrended, a
   * smooth gradient (the gloss and shading of a flag drawn as a button, a sky, airbrushed art) is
   * flat as well, while texture, detail and edges are not.
   */
  static double flatShare(DecodedImage image, double flatLevels, boolean detrended) {
    int w = image.pixelWidth();
    int h = image.pixelHeight();
    byte[] bgr = image.bgr();
    int flat = 0;
    for (int gy = 0; gy < GRID; gy++) {
      for (int gx = 0; gx < GRID; gx++) {
        int x0 = gx * w / GRID;
        int x1 = Math.max(x0 + 1, (gx + 1) * w / GRID);
        int y0 = gy * h / GRID;
        int y1 = Math.max(y0 + 1, (gy + 1) * h / GRID);
        flat += cellDeviation(bgr, w, x0, x1, y0, y1, detrended) <= flatLevels ? 1 : 0;
      }
    }
    return (double) flat / (GRID * GRID);
  }

  /**
   * The largest, over B, G and R, standard deviation of the cell's pixels around their mean or,
   * {@code detrended}, around their best plane. The samples form a full grid, so the centred x and
   * y are uncorrelated and each slope is fitted on its own: the residual variance is the variance
   * less what each slope explains.
   */
  static double cellDeviation(byte[] bgr, int w, int x0, int x1, int y0, int y1, boolean detrended) {
    // The means of the sampled coordinates x0, x0 + 2, ... and y0, y0 + 2, ...
    double cx = x0 + ((x1 - x0 + 1) / 2 - 1);
    double cy = y0 + ((y1 - y0 + 1) / 2 - 1);
    double[] sum = new double[3];
    double[] sq = new double[3];
    double[] sx = new double[3];
    double[] sy = new double[3];
    double xx = 0;
    double yy = 0;
    int n = 0;
    for (int y = y0; y < y1; y += 2) {
      double dy = y - cy;
      for (int x = x0; x < x1; x += 2) {
        double dx = x - cx;
        int p = 3 * (y * w + x);
        for (int c = 0; c < 3; c++) {
          double v = bgr[p + c] & 0xff;
          sum[c] += v;
          sq[c] += v * v;
          sx[c] += v * dx;
          sy[c] += v * dy;
        }
        xx += dx * dx;
        yy += dy * dy;
        n++;
      }
    }
    double worst = 0;
    for (int c = 0; c < 3; c++) {
      double mean = sum[c] / n;
      double variance = sq[c] / n - mean * mean;
      // Centred coordinates sum to zero, so sx and sy are n times the covariances with x and y.
      double explained = !detrended ? 0 : (xx > 0 ? sx[c] * sx[c] / xx : 0) + (yy > 0 ? sy[c] * sy[c] / yy : 0);
      worst = Math.max(worst, Math.sqrt(Math.max(0, variance - explained / n)));
    }
    return worst;
  }

  /** Fits of {@link #trimmed}: each refits on the cells the previous one explained best. */
  static final int TRIM_PASSES = 3;

  /**
   * The same comparison over the {@code keep} share of cells that a recolouring explains best: the
   * query's luma fitted as a linear function of the candidate's and its chroma as one saturation
   * factor and one tint, then the cells with the smallest residuals, refitted on those
   * ({@value #TRIM_PASSES} fits, so that the left-out cells do not bend the fit). Text, stickers and
   * overlays added over a copy change a minority of cells; they are left out.
   */
  ColourComparison trimmed(double keep) {
    int n = (int) Math.ceil(cells * keep);
    if (n >= cells || n < 1) {
      return this;
    }
    double[] residual = fitResiduals(n);
    Integer[] order = byResidual(residual);
    float[] q = new float[3 * n];
    float[] h = new float[3 * n];
    for (int k = 0; k < n; k++) {
      System.arraycopy(query, 3 * order[k], q, 3 * k, 3);
      System.arraycopy(hit, 3 * order[k], h, 3 * k, 3);
    }
    return new ColourComparison(q, h, n);
  }

  /**
   * Share of all cells that the recolouring fitted on the {@code keep} share explaining best (as
   * {@link #trimmed}) leaves off by more than {@code levels}: RMS over the luma and the two chroma
   * channels of the cell's error, in levels of 0..255. A resized, recompressed, grey or brighter
   * copy leaves almost none; another picture of the same layout leaves the cells where the two
   * differ (a badge instead of stars, a frown instead of a smile). With {@code lumaOnly}, for a grey
   * side whose chroma nothing can be fitted to, each cell's error is its luma's distance from the
   * best non-decreasing curve of the candidate's luma instead ({@code keep} unused): a brightness
   * and contrast edit that clips is such a curve, not a line.
   */
  double misfitShare(double keep, double levels, boolean lumaOnly) {
    if (cells == 0) {
      return 0;
    }
    int n = Math.max(1, (int) Math.ceil(cells * keep));
    double[] residual = lumaOnly ? lumaCurveResiduals() : fitResiduals(Math.min(n, cells));
    // RMS over the three channels either way: a grey side's cells count their luma error alone.
    double limit = 3 * levels * levels;
    int off = 0;
    for (double r : residual) {
      off += r > limit ? 1 : 0;
    }
    return (double) off / cells;
  }

  /**
   * Share of the cells whose colour breaks the order of a tone curve: in some channel (B, G or R),
   * the cell is off by more than {@code levels} from the best non-decreasing function of the other
   * side's same channel (isotonic least squares), in either direction. Brightness, contrast, gamma
   * and per-channel curves keep the order of each channel's values, so they leave almost none;
   * a black band that is dark blue in the other picture while its red band loses its blue does not.
   */
  double channelOrderMisfitShare(double levels) {
    if (cells == 0) {
      return 0;
    }
    boolean[] off = new boolean[cells];
    for (int c = 0; c < 3; c++) {
      markOffCurve(hit, query, c, levels, off);
      markOffCurve(query, hit, c, levels, off);
    }
    int n = 0;
    for (boolean o : off) {
      n += o ? 1 : 0;
    }
    return (double) n / cells;
  }

  /**
   * Each cell's squared luma error from the best non-decreasing curve of the candidate's luma: a
   * grey, brighter or more contrasted copy, clipped or not, lies on one; a mark that one side has
   * and the other does not is off it.
   */
  private double[] lumaCurveResiduals() {
    double[] ql = new double[cells];
    double[] hl = new double[cells];
    for (int i = 0; i < cells; i++) {
      ql[i] = luma(query, i);
      hl[i] = luma(hit, i);
    }
    double[] fit = isotonicFit(hl, ql);
    double[] residual = new double[cells];
    for (int i = 0; i < cells; i++) {
      residual[i] = (ql[i] - fit[i]) * (ql[i] - fit[i]);
    }
    return residual;
  }

  /** Marks the cells whose channel {@code c} of {@code y} is off the isotonic fit on {@code x}'s by more than {@code levels}. */
  private void markOffCurve(float[] x, float[] y, int c, double levels, boolean[] off) {
    double[] xc = channel(x, c);
    double[] yc = channel(y, c);
    double[] fit = isotonicFit(xc, yc);
    for (int i = 0; i < cells; i++) {
      if (Math.abs(yc[i] - fit[i]) > levels) {
        off[i] = true;
      }
    }
  }

  /** Channel {@code c} (0 B, 1 G, 2 R) of each cell. */
  private double[] channel(float[] bgr, int c) {
    double[] out = new double[cells];
    for (int i = 0; i < cells; i++) {
      out[i] = bgr[3 * i + c];
    }
    return out;
  }

  /**
   * The least-squares non-decreasing function of {@code x} fitted to {@code y}, at each cell (pool
   * adjacent violators; no library here does isotonic regression).
   */
  private static double[] isotonicFit(double[] x, double[] y) {
    int cells = x.length;
    Integer[] order = new Integer[cells];
    for (int i = 0; i < cells; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
    // Pool adjacent violators: blocks of cells in x order, each fitted by its mean, merged while
    // a block's mean is below the one before it. Ties in x share a block from the start.
    double[] sum = new double[cells];
    int[] count = new int[cells];
    int[] start = new int[cells];
    int blocks = 0;
    for (int k = 0; k < cells; k++) {
      int i = order[k];
      double v = y[i];
      boolean tie = blocks > 0 && x[order[k - 1]] == x[i];
      if (tie) {
        sum[blocks - 1] += v;
        count[blocks - 1]++;
      } else {
        sum[blocks] = v;
        count[blocks] = 1;
        start[blocks] = k;
        blocks++;
      }
      while (blocks > 1 && sum[blocks - 1] / count[blocks - 1] < sum[blocks - 2] / count[blocks - 2]) {
        sum[blocks - 2] += sum[blocks - 1];
        count[blocks - 2] += count[blocks - 1];
        blocks--;
      }
    }
    double[] fit = new double[cells];
    for (int b = 0; b < blocks; b++) {
      for (int k = start[b]; k < start[b] + count[b]; k++) {
        fit[order[k]] = sum[b] / count[b];
      }
    }
    return fit;
  }

  private static Integer[] byResidual(double[] residual) {
    Integer[] order = new Integer[residual.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(residual[x], residual[y]));
    return order;
  }

  /**
   * Each cell's squared error, summed over luma, Cb and Cr, of the recolouring (luma linear in the
   * candidate's, chroma one saturation factor and one tint) fitted on the {@code n} cells it
   * explains best: {@value #TRIM_PASSES} fits, each on the cells the previous explained best.
   */
  private double[] fitResiduals(int n) {
    double[][] chroma = pairedChroma();
    double[] qb = chroma[0];
    double[] qr = chroma[1];
    double[] hb = chroma[2];
    double[] hr = chroma[3];
    double[] ql = new double[cells];
    double[] hl = new double[cells];
    for (int i = 0; i < cells; i++) {
      ql[i] = luma(query, i);
      hl[i] = luma(hit, i);
    }
    Integer[] order = byResidual(new double[cells]);
    int fitted = cells;
    double[] residual = new double[cells];
    for (int pass = 0; pass < TRIM_PASSES; pass++) {
      // Means and fits over the cells kept so far: order[0 .. fitted).
      double mql = 0;
      double mhl = 0;
      double mqb = 0;
      double mqr = 0;
      double mhb = 0;
      double mhr = 0;
      for (int k = 0; k < fitted; k++) {
        int i = order[k];
        mql += ql[i];
        mhl += hl[i];
        mqb += qb[i];
        mqr += qr[i];
        mhb += hb[i];
        mhr += hr[i];
      }
      mql /= fitted;
      mhl /= fitted;
      mqb /= fitted;
      mqr /= fitted;
      mhb /= fitted;
      mhr /= fitted;
      double lumaCov = 0;
      double lumaVar = 0;
      double chromaCov = 0;
      double chromaVar = 0;
      for (int k = 0; k < fitted; k++) {
        int i = order[k];
        lumaCov += (ql[i] - mql) * (hl[i] - mhl);
        lumaVar += (hl[i] - mhl) * (hl[i] - mhl);
        chromaCov += (qb[i] - mqb) * (hb[i] - mhb) + (qr[i] - mqr) * (hr[i] - mhr);
        chromaVar += (hb[i] - mhb) * (hb[i] - mhb) + (hr[i] - mhr) * (hr[i] - mhr);
      }
      double a = lumaVar <= 1e-9 ? 0 : lumaCov / lumaVar;
      double sat = chromaVar <= 1e-9 ? 0 : Math.max(0, chromaCov / chromaVar);
      for (int i = 0; i < cells; i++) {
        double el = (ql[i] - mql) - a * (hl[i] - mhl);
        double eb = (qb[i] - mqb) - sat * (hb[i] - mhb);
        double er = (qr[i] - mqr) - sat * (hr[i] - mhr);
        residual[i] = el * el + eb * eb + er * er;
      }
      order = byResidual(residual);
      fitted = n;
    }
    return residual;
  }

  /** BT.601 luma of cell {@code i}. */
  private static double luma(float[] bgr, int i) {
    return 0.299 * bgr[3 * i + 2] + 0.587 * bgr[3 * i + 1] + 0.114 * bgr[3 * i];
  }

  /** RMS distance of the query's cell chroma from its mean, 0..~180. */
  double queryChromaSpread() {
    return spread(query);
  }

  /** RMS distance of the candidate's cell chroma from its mean. */
  double hitChromaSpread() {
    return spread(hit);
  }

  private double spread(float[] bgr) {
    double[] cb = new double[cells];
    double[] cr = new double[cells];
    chroma(bgr, cb, cr);
    double mb = mean(cb);
    double mr = mean(cr);
    double s = 0;
    for (int i = 0; i < cells; i++) {
      s += (cb[i] - mb) * (cb[i] - mb) + (cr[i] - mr) * (cr[i] - mr);
    }
    return Math.sqrt(s / cells);
  }

  /**
   * RMS error of the best fit {@code query chroma = s * candidate chroma + t} with {@code s >= 0},
   * over the query's chroma spread; 0 when the query has no spread.
   */
  double chromaResidual() {
    double[][] chroma = pairedChroma();
    double[] qb = chroma[0];
    double[] qr = chroma[1];
    double[] hb = chroma[2];
    double[] hr = chroma[3];
    double mqb = mean(qb);
    double mqr = mean(qr);
    double mhb = mean(hb);
    double mhr = mean(hr);
    double cov = 0;
    double var = 0;
    for (int i = 0; i < cells; i++) {
      cov += (qb[i] - mqb) * (hb[i] - mhb) + (qr[i] - mqr) * (hr[i] - mhr);
      var += (hb[i] - mhb) * (hb[i] - mhb) + (hr[i] - mhr) * (hr[i] - mhr);
    }
    double s = var <= 1e-9 ? 0 : Math.max(0, cov / var);
    double err = 0;
    for (int i = 0; i < cells; i++) {
      double eb = (qb[i] - mqb) - s * (hb[i] - mhb);
      double er = (qr[i] - mqr) - s * (hr[i] - mhr);
      err += eb * eb + er * er;
    }
    double spread = queryChromaSpread();
    return spread <= 1e-9 ? 0 : Math.sqrt(err / cells) / spread;
  }

  /**
   * Correlation of the cells' luma between the two sides, -1..1; 1 when either side is uniform (no
   * layout to compare). Grey, brightness and contrast keep it near 1; a different layout lowers it.
   */
  double lumaCorrelation() {
    double[] a = new double[cells];
    double[] b = new double[cells];
    for (int i = 0; i < cells; i++) {
      a[i] = luma(query, i);
      b[i] = luma(hit, i);
    }
    double ma = mean(a);
    double mb = mean(b);
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < cells; i++) {
      ab += (a[i] - ma) * (b[i] - mb);
      aa += (a[i] - ma) * (a[i] - ma);
      bb += (b[i] - mb) * (b[i] - mb);
    }
    return aa <= 1e-9 || bb <= 1e-9 ? 1 : ab / Math.sqrt(aa * bb);
  }

  /** Median over cells of the largest difference of B, G or R, 0..255. */
  double shift() {
    if (cells == 0) {
      return 0;
    }
    double[] d = new double[cells];
    for (int i = 0; i < cells; i++) {
      double m = 0;
      for (int c = 0; c < 3; c++) {
        m = Math.max(m, Math.abs(query[3 * i + c] - hit[3 * i + c]));
      }
      d[i] = m;
    }
    Arrays.sort(d);
    return d[cells / 2];
  }

  /** The cells' Cb and Cr: the query's Cb, its Cr, the candidate's Cb, its Cr. */
  private double[][] pairedChroma() {
    double[][] chroma = new double[4][cells];
    chroma(query, chroma[0], chroma[1]);
    chroma(hit, chroma[2], chroma[3]);
    return chroma;
  }

  /** BT.601 Cb and Cr, centred on 0, of each cell. */
  private void chroma(float[] bgr, double[] cb, double[] cr) {
    for (int i = 0; i < cells; i++) {
      double b = bgr[3 * i];
      double g = bgr[3 * i + 1];
      double r = bgr[3 * i + 2];
      double y = 0.299 * r + 0.587 * g + 0.114 * b;
      cb[i] = 0.564 * (b - y);
      cr[i] = 0.713 * (r - y);
    }
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? 0 : s / v.length;
  }
}
