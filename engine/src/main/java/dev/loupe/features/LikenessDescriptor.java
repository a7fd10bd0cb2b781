package dev.loupe.features;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_16S;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.DFT_COMPLEX_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_INVERSE;
import static org.bytedeco.opencv.global.opencv_core.DFT_ROWS;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.dft;
import static org.bytedeco.opencv.global.opencv_core.transpose;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.Sobel;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.loupe.image.DecodedImage;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The likeness descriptor of the {@code similar} tier: what kind of picture this is and how it
 * looks, as {@link #DIMENSIONS} floats of unit length compared by dot product (cosine). Unlike the
 * copy-ranking {@link FeatureExtractor} descriptor, it is made to answer a photograph with
 * photographs and a drawing with drawings. Three blocks, each scaled to unit length, weighted,
 * and the whole scaled to unit length again, so that the cosine is the weighted mean of the
 * blocks' cosines:
 *
 * <ol>
 *   <li><b>scene</b> ({@link #SCENE_FLOATS}): a GIST-like spatial envelope (Oliva and Torralba
 *       2001). The grey image at 128 x 128 is filtered in the frequency domain by 4 scales x 6
 *       orientations of log-Gabor filters; the mean response energy over a 4 x 4 grid of cells
 *       describes scene layout and texture (open horizon, dense foliage, large flat areas);
 *   <li><b>colour</b> ({@link #COLOUR_FLOATS}): a 52-bin HSV histogram (12 hues x 2 saturations x
 *       2 values, hue soft-binned, plus 4 achromatic levels) of the whole image and of its four
 *       quarters (a two-level spatial pyramid), square-rooted so that the cosine is the
 *       Bhattacharyya coefficient of the distributions;
 *   <li><b>kind</b> ({@link #KIND_FLOATS}): six photo/graphic measures on the working-size image,
 *       each soft-binned into {@link #KIND_BINS} bins: share of flat pixels (no gradient: drawings
 *       and flat art have large ones, photographs have sensor noise), share of near-white pixels
 *       (the ground transparent clip art is composited on), share of the 16 commonest colours
 *       (a small palette), the number of distinct colours, mean saturation, and the share of hard
 *       edges among all edges.
 * </ol>
 *
 * The weights were chosen on the likeness dev set ({@code bench/run likeness}, figures in
 * {@code docs/benchmarks.md}). Thread-safe: the filters are made once per process; OpenCV's
 * native buffers live only for the call. It costs about five {@link FeatureExtractor#extract}
 * calls per image (measured in the same run of the likeness benchmark).
 */
public final class LikenessDescriptor {
  /** Side of the square grey image the scene block is computed on. */
  static final int SIDE = 128;
  /** Reflected margin around it, so that the DFT's wrap-around does not put edges at the borders. */
  private static final int MARGIN = 16;
  private static final int PADDED = SIDE + 2 * MARGIN;
  static final int SCALES = 4;
  static final int ORIENTATIONS = 6;
  static final int CELLS = 4;
  public static final int SCENE_FLOATS = SCALES * ORIENTATIONS * CELLS * CELLS;
  static final int HUES = 12;
  static final int COLOUR_BINS = HUES * 4 + 4;
  public static final int COLOUR_FLOATS = 5 * COLOUR_BINS;
  static final int KIND_MEASURES = 6;
  static final int KIND_BINS = 8;
  public static final int KIND_FLOATS = KIND_MEASURES * KIND_BINS;
  /** The commonest colours whose share of the pixels is one kind measure. */
  static final int PALETTE = 16;
  /** Length of the descriptor. */
  public static final int DIMENSIONS = SCENE_FLOATS + COLOUR_FLOATS + KIND_FLOATS;

  /**
   * Block weights, before the whole vector is scaled to unit length.
   *
   * @param scene weight of the GIST-like block
   * @param colour weight of the colour pyramid
   * @param kind weight of the photo/graphic measures
   */
  public record Weights(double scene, double colour, double kind) {
    public Weights {
      if (!(scene >= 0 && colour >= 0 && kind >= 0) || scene + colour + kind <= 0) {
        throw new IllegalArgumentException(
            "weights must be non-negative and not all zero, got: " + scene + ", " + colour + ", " + kind);
      }
    }
  }

  /** The weights measured best on the likeness dev set. */
  public static final Weights DEFAULT_WEIGHTS = new Weights(0.5, 1.0, 1.0);

  /**
   * Transfer functions, [scale * ORIENTATIONS + orientation][2 * (y * PADDED + x) + part], DFT
   * layout, each factor twice (for the real and the imaginary part of the spectrum).
   */
  private static final float[][] TRANSFER = interleaved(logGaborFilters());
  private final Weights weights;

  public LikenessDescriptor() {
    this(DEFAULT_WEIGHTS);
  }

  public LikenessDescriptor(Weights weights) {
    this.weights = java.util.Objects.requireNonNull(weights, "weights");
  }

  public Weights weights() {
    return weights;
  }

  /** The descriptor of {@code image}: {@link #DIMENSIONS} floats of unit length. */
  @SuppressWarnings("try") // the scope frees every native object made inside it
  public float[] compute(DecodedImage image) {
    int w = image.pixelWidth();
    int h = image.pixelHeight();
    float[] out = new float[DIMENSIONS];
    try (PointerScope scope = new PointerScope()) {
      Mat colour = new Mat(h, w, CV_8UC3, new BytePointer(image.bgr()));
      Mat small = new Mat();
      resize(colour, small, new Size(SIDE, SIDE), 0, 0, INTER_AREA);
      scene(small, out, 0);
      colour(small, out, SCENE_FLOATS);
      kind(colour, image.bgr(), w, h, out, SCENE_FLOATS + COLOUR_FLOATS);
    }
    scaleBlock(out, 0, SCENE_FLOATS, weights.scene());
    scaleBlock(out, SCENE_FLOATS, COLOUR_FLOATS, weights.colour());
    scaleBlock(out, SCENE_FLOATS + COLOUR_FLOATS, KIND_FLOATS, weights.kind());
    scaleBlock(out, 0, DIMENSIONS, 1);
    return out;
  }

  /** Cosine of two descriptors (their dot product). */
  public static double similarity(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("descriptor lengths differ: " + a.length + " and " + b.length);
    }
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  private void scene(Mat small, float[] out, int offset) {
    Mat gray = new Mat();
    cvtColor(small, gray, COLOR_BGR2GRAY);
    Mat grayF = new Mat();
    gray.convertTo(grayF, CV_32F, 1 / 255.0, 0);
    Mat padded = new Mat();
    copyMakeBorder(grayF, padded, MARGIN, MARGIN, MARGIN, MARGIN, BORDER_REFLECT_101, new Scalar(0.0));
    float[] pixels = new float[PADDED * PADDED];
    ((FloatPointer) new FloatPointer(padded.data())).get(pixels);
    double mean = 0;
    for (float p : pixels) {
      mean += p;
    }
    mean /= pixels.length;
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] -= (float) mean;
    }
    Mat spatial = new Mat(PADDED, PADDED, CV_32F);
    new FloatPointer(spatial.data()).put(pixels);
    Mat spectrum = new Mat();
    dft(spatial, spectrum, DFT_COMPLEX_OUTPUT, 0);
    float[] f = new float[2 * PADDED * PADDED];
    new FloatPointer(spectrum.data()).get(f);
    float[] product = new float[f.length];
    Mat filtered = new Mat(PADDED, PADDED, CV_32FC2);
    FloatPointer filteredData = new FloatPointer(filtered.data());
    // The inverse DFT as its two passes, the second only where the inner square is: rows (along x)
    // first, then the inner SIDE columns, transposed so that they are rows (along y).
    Mat rows = new Mat(PADDED, PADDED, CV_32FC2);
    Mat inner = rows.colRange(MARGIN, MARGIN + SIDE);
    Mat columns = new Mat(SIDE, PADDED, CV_32FC2);
    Mat back = new Mat(SIDE, PADDED, CV_32FC2);
    FloatPointer backData = new FloatPointer(back.data());
    float[] response = new float[2 * SIDE * PADDED];
    int cell = SIDE / CELLS;
    double[] sums = new double[CELLS * CELLS];
    for (int k = 0; k < TRANSFER.length; k++) {
      float[] g = TRANSFER[k];
      for (int i = 0; i < g.length; i++) {
        product[i] = f[i] * g[i];
      }
      filteredData.put(product);
      dft(filtered, rows, DFT_INVERSE | DFT_COMPLEX_OUTPUT | DFT_ROWS, 0);
      transpose(inner, columns);
      dft(columns, back, DFT_INVERSE | DFT_COMPLEX_OUTPUT | DFT_ROWS, 0);
      backData.get(response);
      java.util.Arrays.fill(sums, 0);
      // back holds the response transposed: row x, column y + MARGIN.
      for (int x = 0; x < SIDE; x++) {
        int cx = x / cell;
        for (int cy = 0; cy < CELLS; cy++) {
          // Four running sums, so that the additions do not wait on each other.
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double s3 = 0;
          for (int i = 2 * (x * PADDED + MARGIN + cy * cell), end = i + 2 * cell; i < end; i += 8) {
            s0 += Math.sqrt(response[i] * response[i] + response[i + 1] * response[i + 1]);
            s1 += Math.sqrt(response[i + 2] * response[i + 2] + response[i + 3] * response[i + 3]);
            s2 += Math.sqrt(response[i + 4] * response[i + 4] + response[i + 5] * response[i + 5]);
            s3 += Math.sqrt(response[i + 6] * response[i + 6] + response[i + 7] * response[i + 7]);
          }
          sums[cy * CELLS + cx] += (s0 + s1) + (s2 + s3);
        }
      }
      for (int c = 0; c < CELLS * CELLS; c++) {
        out[offset + k * CELLS * CELLS + c] = (float) (sums[c] / (cell * cell));
      }
    }
    // The energy falls with frequency; the block's unit length would otherwise be the coarse scale's.
    for (int s = 0; s < SCALES; s++) {
      int from = offset + s * ORIENTATIONS * CELLS * CELLS;
      scaleBlock(out, from, ORIENTATIONS * CELLS * CELLS, 1);
    }
  }

  private static float[][] interleaved(float[][] filters) {
    float[][] out = new float[filters.length][];
    for (int k = 0; k < filters.length; k++) {
      float[] g = filters[k];
      out[k] = new float[2 * g.length];
      for (int i = 0; i < g.length; i++) {
        out[k][2 * i] = g[i];
        out[k][2 * i + 1] = g[i];
      }
    }
    return out;
  }

  /** One-sided log-Gabor transfer functions on the padded DFT grid (complex outputs, so |response| is the local energy). */
  private static float[][] logGaborFilters() {
    float[][] out = new float[SCALES * ORIENTATIONS][PADDED * PADDED];
    double sigmaRadial = Math.log(0.55);
    double sigmaAngle = Math.PI / ORIENTATIONS / 1.2;
    for (int s = 0; s < SCALES; s++) {
      double f0 = 0.25 / (1 << s);
      for (int o = 0; o < ORIENTATIONS; o++) {
        double theta0 = o * Math.PI / ORIENTATIONS;
        float[] g = out[s * ORIENTATIONS + o];
        for (int y = 0; y < PADDED; y++) {
          double fy = (y < PADDED / 2 ? y : y - PADDED) / (double) PADDED;
          for (int x = 0; x < PADDED; x++) {
            double fx = (x < PADDED / 2 ? x : x - PADDED) / (double) PADDED;
            double f = Math.hypot(fx, fy);
            if (f == 0) {
              continue;
            }
            double radial = Math.exp(-Math.pow(Math.log(f / f0), 2) / (2 * sigmaRadial * sigmaRadial));
            double d = Math.atan2(fy, fx) - theta0;
            d = Math.atan2(Math.sin(d), Math.cos(d));
            g[y * PADDED + x] = (float) (radial * Math.exp(-d * d / (2 * sigmaAngle * sigmaAngle)));
          }
        }
      }
    }
    return out;
  }

  private static void colour(Mat small, float[] out, int offset) {
    Mat hsv = new Mat();
    cvtColor(small, hsv, COLOR_BGR2HSV);
    byte[] p = new byte[SIDE * SIDE * 3];
    new BytePointer(hsv.data()).get(p);
    int half = SIDE / 2;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int i = 3 * (y * SIDE + x);
        int quarter = 1 + (y < half ? 0 : 2) + (x < half ? 0 : 1);
        double hue = (p[i] & 0xff) / 180.0 * HUES;
        double sat = (p[i + 1] & 0xff) / 255.0;
        double val = (p[i + 2] & 0xff) / 255.0;
        addColour(out, offset, hue, sat, val);
        addColour(out, offset + quarter * COLOUR_BINS, hue, sat, val);
      }
    }
    for (int i = offset; i < offset + COLOUR_FLOATS; i++) {
      out[i] = (float) Math.sqrt(out[i]);
    }
  }

  private static void addColour(float[] out, int offset, double hue, double sat, double val) {
    if (val < 0.15) {
      out[offset + HUES * 4] += 1;
    } else if (sat < 0.2) {
      out[offset + HUES * 4 + 1 + Math.min(2, (int) ((val - 0.15) / 0.85 * 3))] += 1;
    } else {
      int band = (sat < 0.6 ? 0 : 1) * 2 + (val < 0.6 ? 0 : 1);
      double hc = hue - 0.5;
      int h0 = (int) Math.floor(hc);
      double t = hc - h0;
      out[offset + band * HUES + Math.floorMod(h0, HUES)] += (float) (1 - t);
      out[offset + band * HUES + Math.floorMod(h0 + 1, HUES)] += (float) t;
    }
  }

  /**
   * The kind block. Sobel's sums of 8-bit pixels are integers of at most 4 x 255 in magnitude, so
   * they are taken as 16-bit integers and the gradient thresholds (1, 4 and 48 levels per pixel
   * after dividing by 4) compared exactly on four times the levels.
   */
  private static void kind(Mat colour, byte[] bgr, int w, int h, float[] out, int offset) {
    int n = w * h;
    Mat gray = new Mat();
    cvtColor(colour, gray, COLOR_BGR2GRAY);
    Mat gx = new Mat();
    Mat gy = new Mat();
    Sobel(gray, gx, CV_16S, 1, 0);
    Sobel(gray, gy, CV_16S, 0, 1);
    short[] dx = new short[n];
    short[] dy = new short[n];
    new ShortPointer(gx.data()).get(dx);
    new ShortPointer(gy.data()).get(dy);

    int flat = 0;
    int white = 0;
    int edges = 0;
    int hard = 0;
    // Saturation (max - min) / max, summed per max so that there is one division per level.
    long[] spread = new long[256];
    int[] counts = new int[1 << 15];
    // Counted without branches ((limit - 1 - v) >>> 31 is 1 when v >= limit): which way a noisy
    // photograph's pixels go is unpredictable.
    for (int i = 0; i < n; i++) {
      // Sobel's 3x3 kernel sums 4 pixel differences: g4 is four times the levels per pixel.
      int g4 = Math.abs(dx[i]) + Math.abs(dy[i]);
      flat += (g4 - 4) >>> 31;
      edges += (15 - g4) >>> 31;
      hard += (191 - g4) >>> 31;
    }
    for (int i = 0, p = 0; i < n; i++, p += 3) {
      int b = bgr[p] & 0xff;
      int gr = bgr[p + 1] & 0xff;
      int r = bgr[p + 2] & 0xff;
      int max = Math.max(b, Math.max(gr, r));
      int min = Math.min(b, Math.min(gr, r));
      white += (244 - min) >>> 31;
      spread[max] += max - min;
      counts[(r >> 3) << 10 | (gr >> 3) << 5 | (b >> 3)]++;
    }
    double saturation = 0;
    for (int max = 1; max < 256; max++) {
      saturation += spread[max] / (double) max;
    }
    int distinct = 0;
    for (int c : counts) {
      if (c > 0) {
        distinct++;
      }
    }
    long top = topSum(counts, PALETTE);
    double[] measures = {
      flat / (double) n,
      white / (double) n,
      top / (double) n,
      Math.log1p(distinct) / Math.log1p(Math.min(n, counts.length)),
      saturation / n,
      edges == 0 ? 0 : hard / (double) edges,
    };
    for (int m = 0; m < KIND_MEASURES; m++) {
      softBin(measures[m], out, offset + m * KIND_BINS);
    }
  }

  /** The sum of the {@code n} largest counts (a bounded insertion list: cheaper than sorting 32,768). */
  private static long topSum(int[] counts, int n) {
    int[] top = new int[n];
    for (int c : counts) {
      if (c > top[0]) {
        int i = 1;
        while (i < n && top[i] < c) {
          top[i - 1] = top[i];
          i++;
        }
        top[i - 1] = c;
      }
    }
    long sum = 0;
    for (int c : top) {
      sum += c;
    }
    return sum;
  }

  /** Spreads a value in 0..1 over {@link #KIND_BINS} bins with a triangular kernel. */
  private static void softBin(double value, float[] out, int offset) {
    double v = Math.max(0, Math.min(1, value)) * (KIND_BINS - 1);
    int i = (int) Math.floor(v);
    double t = v - i;
    out[offset + i] += (float) (1 - t);
    if (i + 1 < KIND_BINS) {
      out[offset + i + 1] += (float) t;
    }
  }

  private static void scaleBlock(float[] v, int from, int length, double weight) {
    double sum = 0;
    for (int i = from; i < from + length; i++) {
      sum += (double) v[i] * v[i];
    }
    if (sum == 0) {
      return;
    }
    double scale = weight / Math.sqrt(sum);
    for (int i = from; i < from + length; i++) {
      v[i] = (float) (v[i] * scale);
    }
  }
}
