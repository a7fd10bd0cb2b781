package dev.loupe.embed;

/**
 * PIL's bicubic resize (a = -0.5, the filter widened by the scale factor when shrinking, so that
 * shrinking averages instead of aliasing), in floating point: what CLIP-family models saw in
 * training. Hand-written because neither Java2D nor OpenCV ({@code INTER_CUBIC}: a = -0.75, no
 * widening) computes this filter; it differs from PIL only by PIL's rounding to 8 bits between its
 * two passes (at most about one level in 255).
 */
final class BicubicResampler {
  private BicubicResampler() {}

  /**
   * Resizes interleaved 3-channel 8-bit pixels; returns {@code outW * outH * 3} values in [0, 255],
   * same channel order.
   */
  static double[] resize(byte[] pixels, int width, int height, int outW, int outH) {
    Weights horizontal = weights(width, outW);
    Weights vertical = weights(height, outH);
    double[] rows = new double[height * outW * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < outW; x++) {
        double b = 0;
        double g = 0;
        double r = 0;
        int lo = horizontal.first[x];
        double[] w = horizontal.weights[x];
        for (int k = 0; k < w.length; k++) {
          int src = (y * width + lo + k) * 3;
          b += w[k] * (pixels[src] & 0xFF);
          g += w[k] * (pixels[src + 1] & 0xFF);
          r += w[k] * (pixels[src + 2] & 0xFF);
        }
        int dst = (y * outW + x) * 3;
        rows[dst] = b;
        rows[dst + 1] = g;
        rows[dst + 2] = r;
      }
    }
    double[] out = new double[outH * outW * 3];
    for (int y = 0; y < outH; y++) {
      int lo = vertical.first[y];
      double[] w = vertical.weights[y];
      for (int x = 0; x < outW; x++) {
        for (int c = 0; c < 3; c++) {
          double v = 0;
          for (int k = 0; k < w.length; k++) {
            v += w[k] * rows[((lo + k) * outW + x) * 3 + c];
          }
          out[(y * outW + x) * 3 + c] = Math.min(255, Math.max(0, v));
        }
      }
    }
    return out;
  }

  private record Weights(int[] first, double[][] weights) {}

  /** PIL's {@code precompute_coeffs}: for each output sample, its first input sample and weights. */
  private static Weights weights(int in, int out) {
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    double support = 2.0 * filterScale;
    int[] first = new int[out];
    double[][] weights = new double[out][];
    for (int i = 0; i < out; i++) {
      double centre = (i + 0.5) * scale;
      int lo = Math.max((int) (centre - support + 0.5), 0);
      int hi = Math.min((int) (centre + support + 0.5), in);
      double[] w = new double[hi - lo];
      double sum = 0;
      for (int k = 0; k < w.length; k++) {
        w[k] = cubic((lo + k - centre + 0.5) / filterScale);
        sum += w[k];
      }
      for (int k = 0; k < w.length; k++) {
        w[k] /= sum;
      }
      first[i] = lo;
      weights[i] = w;
    }
    return new Weights(first, weights);
  }

  private static double cubic(double x) {
    final double a = -0.5;
    x = Math.abs(x);
    if (x < 1) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0;
  }
}
