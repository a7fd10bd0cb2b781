package dev.loupe.features;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.DFT_COMPLEX_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_INVERSE;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.dft;
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
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The likeness descriptor as first written, kept unchanged as the reference the optimised {@link
 * LikenessDescriptor} is compared with ({@code LikenessReferenceTest}): same inputs, same floats up
 * to rounding.
 */
final class LikenessReference {
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

  private final LikenessDescriptor.Weights weights;
  /** Transfer functions, [scale * ORIENTATIONS + orientation][y * PADDED + x], DFT layout. */
  private final float[][] filters;

  LikenessReference() {
    this(LikenessDescriptor.DEFAULT_WEIGHTS);
  }

  LikenessReference(LikenessDescriptor.Weights weights) {
    this.weights = java.util.Objects.requireNonNull(weights, "weights");
    this.filters = logGaborFilters();
  }

  LikenessDescriptor.Weights weights() {
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
      kind(colour, w, h, out, SCENE_FLOATS + COLOUR_FLOATS);
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
    float[] response = new float[f.length];
    Mat filtered = new Mat(PADDED, PADDED, CV_32FC2);
    Mat back = new Mat();
    int cell = SIDE / CELLS;
    for (int k = 0; k < filters.length; k++) {
      float[] g = filters[k];
      for (int i = 0; i < g.length; i++) {
        product[2 * i] = f[2 * i] * g[i];
        product[2 * i + 1] = f[2 * i + 1] * g[i];
      }
      new FloatPointer(filtered.data()).put(product);
      dft(filtered, back, DFT_INVERSE | DFT_COMPLEX_OUTPUT, 0);
      new FloatPointer(back.data()).get(response);
      for (int cy = 0; cy < CELLS; cy++) {
        for (int cx = 0; cx < CELLS; cx++) {
          double sum = 0;
          for (int y = cy * cell; y < (cy + 1) * cell; y++) {
            int row = (y + MARGIN) * PADDED + MARGIN;
            for (int x = cx * cell; x < (cx + 1) * cell; x++) {
              float re = response[2 * (row + x)];
              float im = response[2 * (row + x) + 1];
              sum += Math.sqrt(re * re + im * im);
            }
          }
          out[offset + k * CELLS * CELLS + cy * CELLS + cx] = (float) (sum / (cell * cell));
        }
      }
    }
    // The energy falls with frequency; the block's unit length would otherwise be the coarse scale's.
    for (int s = 0; s < SCALES; s++) {
      int from = offset + s * ORIENTATIONS * CELLS * CELLS;
      scaleBlock(out, from, ORIENTATIONS * CELLS * CELLS, 1);
    }
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

  private static void kind(Mat colour, int w, int h, float[] out, int offset) {
    int n = w * h;
    Mat gray = new Mat();
    cvtColor(colour, gray, COLOR_BGR2GRAY);
    Mat gx = new Mat();
    Mat gy = new Mat();
    Sobel(gray, gx, CV_32F, 1, 0);
    Sobel(gray, gy, CV_32F, 0, 1);
    float[] dx = new float[n];
    float[] dy = new float[n];
    new FloatPointer(gx.data()).get(dx);
    new FloatPointer(gy.data()).get(dy);
    byte[] bgr = new byte[3 * n];
    new BytePointer(colour.data()).get(bgr);

    int flat = 0;
    int white = 0;
    int edges = 0;
    int hard = 0;
    double saturation = 0;
    int[] counts = new int[1 << 15];
    for (int i = 0; i < n; i++) {
      // Sobel's 3x3 kernel sums 4 pixel differences: divide by 4 for levels per pixel.
      double g = (Math.abs(dx[i]) + Math.abs(dy[i])) / 4;
      if (g < 1) {
        flat++;
      } else if (g >= 4) {
        edges++;
        if (g >= 48) {
          hard++;
        }
      }
      int b = bgr[3 * i] & 0xff;
      int gr = bgr[3 * i + 1] & 0xff;
      int r = bgr[3 * i + 2] & 0xff;
      if (b >= 245 && gr >= 245 && r >= 245) {
        white++;
      }
      int max = Math.max(b, Math.max(gr, r));
      int min = Math.min(b, Math.min(gr, r));
      saturation += max == 0 ? 0 : (max - min) / (double) max;
      counts[(r >> 3) << 10 | (gr >> 3) << 5 | (b >> 3)]++;
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
