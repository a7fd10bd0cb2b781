package dev.loupe.features;

/**
 * Resamples a rectangle of an interleaved BGR buffer to a square grid by area averaging: each
 * output cell is the mean of the input it covers, partially covered pixels weighted by the covered
 * fraction. Area averaging is what keeps the grid stable under JPEG noise and small rescales, and
 * its cells are symmetric, so the grid of a rotated or mirrored image is exactly the rotated or
 * mirrored grid.
 *
 * <p>Also upsamples (a cell then takes the one or two pixels it overlaps), for borders trimmed
 * down to less than the grid size. Not thread-safe: one instance per thread, reused across images.
 */
final class AreaResampler {
  private final int size;
  private float[] rows = new float[0];

  AreaResampler(int size) {
    this.size = size;
  }

  /**
   * Writes the {@code size x size} grid of {@code bounds} into {@code blue}, {@code green} and
   * {@code red}, row by row, values 0..255.
   */
  void resample(byte[] bgr, int stride, ContentBounds bounds, float[] blue, float[] green, float[] red) {
    Axis xs = Axis.of(bounds.left(), bounds.width(), size);
    Axis ys = Axis.of(bounds.top(), bounds.height(), size);
    int h = bounds.height();
    int need = h * size * 3;
    if (rows.length < need) {
      rows = new float[need];
    }
    float[] tmp = rows;
    // Horizontal pass: every input row of the rectangle to `size` cells, interleaved BGR. Pixels
    // wholly inside a cell are summed as integers; only the two it shares with its neighbours
    // are weighted.
    for (int y = 0; y < h; y++) {
      int rowBase = ((bounds.top() + y) * stride) * 3;
      int out = y * size * 3;
      for (int k = 0; k < size; k++) {
        int first = xs.first[k];
        int count = xs.count[k];
        int wBase = xs.weightBase[k];
        int p = rowBase + first * 3;
        float w0 = xs.weights[wBase];
        float b = w0 * (bgr[p] & 0xFF), g = w0 * (bgr[p + 1] & 0xFF), r = w0 * (bgr[p + 2] & 0xFF);
        int ib = 0, ig = 0, ir = 0;
        int end = p + (count - 1) * 3;
        for (p += 3; p < end; p += 3) {
          ib += bgr[p] & 0xFF;
          ig += bgr[p + 1] & 0xFF;
          ir += bgr[p + 2] & 0xFF;
        }
        if (count > 1) {
          float w1 = xs.weights[wBase + count - 1];
          b += w1 * (bgr[end] & 0xFF);
          g += w1 * (bgr[end + 1] & 0xFF);
          r += w1 * (bgr[end + 2] & 0xFF);
        }
        tmp[out++] = b + ib;
        tmp[out++] = g + ig;
        tmp[out++] = r + ir;
      }
    }
    // Vertical pass.
    float norm = 1f / (xs.scale * ys.scale);
    for (int m = 0; m < size; m++) {
      int first = ys.first[m] - bounds.top();
      int count = ys.count[m];
      int wBase = ys.weightBase[m];
      int out = m * size;
      for (int k = 0; k < size; k++) {
        float b = 0, g = 0, r = 0;
        for (int j = 0; j < count; j++) {
          float w = ys.weights[wBase + j];
          int p = ((first + j) * size + k) * 3;
          b += w * tmp[p];
          g += w * tmp[p + 1];
          r += w * tmp[p + 2];
        }
        blue[out + k] = b * norm;
        green[out + k] = g * norm;
        red[out + k] = r * norm;
      }
    }
  }

  /** For each output cell, the input pixels it overlaps and by how much. */
  private record Axis(int[] first, int[] count, int[] weightBase, float[] weights, float scale) {
    static Axis of(int start, int length, int size) {
      double scale = (double) length / size;
      int[] first = new int[size];
      int[] count = new int[size];
      int[] base = new int[size];
      float[] weights = new float[size * ((int) Math.ceil(scale) + 2)];
      int used = 0;
      for (int k = 0; k < size; k++) {
        double lo = k * scale;
        double hi = (k + 1) * scale;
        int i0 = (int) Math.floor(lo);
        int i1 = Math.min(length, (int) Math.ceil(hi));
        first[k] = start + i0;
        count[k] = i1 - i0;
        base[k] = used;
        for (int i = i0; i < i1; i++) {
          weights[used++] = (float) (Math.min(hi, i + 1) - Math.max(lo, i));
        }
      }
      return new Axis(first, count, base, weights, (float) scale);
    }
  }
}
