package dev.loupe.features;

/**
 * The 128-float "looks like" descriptor, computed from the 64 x 64 colour grid of the trimmed
 * image. Three blocks, each power-normalised (signed square root), scaled to unit length and
 * weighted, then the whole vector scaled to unit length so that a dot product is the cosine:
 *
 * <ol>
 *   <li>Colour layout, 32 floats: the lowest 8 x 8 DCT frequencies of an 8 x 8 YCbCr thumbnail in
 *       zigzag order, 20 of luminance without its DC (so brightness and, after normalising,
 *       contrast do not matter) and 6 each of the two chroma planes with their DC (the mean
 *       colour). Chroma is scaled by a fixed factor, not normalised, so that a grey image gives
 *       zero rather than amplified noise.
 *   <li>Colour distribution, 32 floats: a soft-binned histogram of 12 hues x 2 brightness levels,
 *       each cell weighted by how coloured it is, and an 8-bin luminance histogram of all cells.
 *       The luminance part is what a grey copy keeps.
 *   <li>Edge orientations, 64 floats: magnitude-weighted, soft-binned histograms of 8 unsigned
 *       gradient orientations in each quarter of the image, at the grid's scale and at half of it.
 *       Each scale is normalised by its total magnitude, so contrast does not matter.
 * </ol>
 */
final class GlobalDescriptor {
  static final int DIMENSIONS = 128;
  // Block weights (lengths before the final normalisation). Tried on the gnome-backgrounds set:
  // less colour weight ranks grey copies better but crops and captions worse, and raises the
  // similarity of unrelated images; see docs/features.md.
  private static final float LUMA_LAYOUT_WEIGHT = 0.8f;
  /** Upper bound of the chroma layout's length; it is smaller for weakly coloured images. */
  private static final float CHROMA_LAYOUT_CAP = 0.6f;
  private static final float COLOUR_WEIGHT = 1.0f;
  /** Per scale; the two edge scales together weigh 1. */
  private static final float EDGE_SCALE_WEIGHT = 0.7071f;
  /** Chroma layout coefficients are divided by this before the signed root (0..255 scale). */
  private static final float CHROMA_SCALE = 1f / 256f;

  private static final int GRID = PerceptualHash.GRID;
  private static final int[] ZIGZAG = zigzag(8);
  private static final float[] DCT8 = dct8();

  private GlobalDescriptor() {}

  /** Fills {@code out} (128 floats) from 64 x 64 planes, values 0..255. */
  static void compute(float[] blue, float[] green, float[] red, float[] luma, float[] out) {
    layout(blue, green, red, luma, out, 0);
    colours(blue, green, red, luma, out, 32);
    edges(luma, GRID, out, 64);
    float[] half = new float[(GRID / 2) * (GRID / 2)];
    for (int y = 0; y < GRID / 2; y++) {
      for (int x = 0; x < GRID / 2; x++) {
        int i = 2 * y * GRID + 2 * x;
        half[y * (GRID / 2) + x] = (luma[i] + luma[i + 1] + luma[i + GRID] + luma[i + GRID + 1]) / 4;
      }
    }
    edges(half, GRID / 2, out, 96);
    signedSqrt(out);
    scale(out, 0, 20, LUMA_LAYOUT_WEIGHT / norm(out, 0, 20));
    // Chroma keeps its absolute size (a grey image has none), capped.
    float chroma = norm(out, 20, 32);
    scale(out, 20, 32, chroma > CHROMA_LAYOUT_CAP ? CHROMA_LAYOUT_CAP / chroma : 1f);
    scale(out, 32, 64, COLOUR_WEIGHT / norm(out, 32, 64));
    scale(out, 64, 96, EDGE_SCALE_WEIGHT / norm(out, 64, 96));
    scale(out, 96, 128, EDGE_SCALE_WEIGHT / norm(out, 96, 128));
    scale(out, 0, 128, 1f / norm(out, 0, 128));
  }

  private static void layout(float[] blue, float[] green, float[] red, float[] luma, float[] out, int at) {
    float[] y8 = new float[64];
    float[] cb8 = new float[64];
    float[] cr8 = new float[64];
    for (int cy = 0; cy < 8; cy++) {
      for (int cx = 0; cx < 8; cx++) {
        float sy = 0, sb = 0, sr = 0;
        for (int dy = 0; dy < 8; dy++) {
          int row = (cy * 8 + dy) * GRID + cx * 8;
          for (int dx = 0; dx < 8; dx++) {
            int i = row + dx;
            sy += luma[i];
            sb += blue[i];
            sr += red[i];
          }
        }
        float yv = sy / 64;
        y8[cy * 8 + cx] = yv;
        cb8[cy * 8 + cx] = 0.564f * (sb / 64 - yv);
        cr8[cy * 8 + cx] = 0.713f * (sr / 64 - yv);
      }
    }
    float[] cy = dct8x8(y8);
    float[] cb = dct8x8(cb8);
    float[] cr = dct8x8(cr8);
    for (int k = 0; k < 20; k++) {
      out[at + k] = cy[ZIGZAG[k + 1]];
    }
    for (int k = 0; k < 6; k++) {
      out[at + 20 + k] = cb[ZIGZAG[k]] * CHROMA_SCALE;
      out[at + 26 + k] = cr[ZIGZAG[k]] * CHROMA_SCALE;
    }
  }

  private static void colours(float[] blue, float[] green, float[] red, float[] luma, float[] out, int at) {
    float[] hist = new float[32];
    for (int i = 0; i < GRID * GRID; i++) {
      float b = blue[i], g = green[i], r = red[i];
      float max = Math.max(r, Math.max(g, b));
      float min = Math.min(r, Math.min(g, b));
      float chroma = max - min;
      float value = max / 255f;
      // Grey up to 5% chroma, fully coloured from 25%: JPEG and noise give grey cells a little chroma.
      float coloured = Math.clamp((chroma / 255f - 0.05f) * 5f, 0f, 1f);
      // Every cell adds to the luminance histogram, so a grey copy keeps this part intact.
      softLinear(hist, 24, 8, luma[i] / 255f, 1f);
      if (coloured > 0) {
        float hue;
        if (max == r) {
          hue = ((g - b) / chroma + 6f) % 6f;
        } else if (max == g) {
          hue = (b - r) / chroma + 2f;
        } else {
          hue = (r - g) / chroma + 4f;
        }
        float h = hue * 2f; // 12 bins
        int h0 = (int) Math.floor(h - 0.5f);
        float fh = (h - 0.5f) - h0;
        // Two brightness levels, soft between 0.35 and 0.65.
        float bright = Math.clamp((value - 0.35f) / 0.3f, 0f, 1f);
        for (int lv = 0; lv < 2; lv++) {
          float w = coloured * (lv == 0 ? 1f - bright : bright);
          if (w == 0) {
            continue;
          }
          hist[lv * 12 + Math.floorMod(h0, 12)] += w * (1f - fh);
          hist[lv * 12 + Math.floorMod(h0 + 1, 12)] += w * fh;
        }
      }
    }
    for (int k = 0; k < 32; k++) {
      out[at + k] = hist[k] / (GRID * GRID);
    }
  }

  /** Adds {@code weight} to {@code bins} bins from {@code from}, linearly split around value 0..1. */
  private static void softLinear(float[] hist, int from, int bins, float value, float weight) {
    float p = value * bins - 0.5f;
    int b0 = (int) Math.floor(p);
    float f = p - b0;
    if (b0 < 0) {
      hist[from] += weight;
    } else if (b0 >= bins - 1) {
      hist[from + bins - 1] += weight;
    } else {
      hist[from + b0] += weight * (1f - f);
      hist[from + b0 + 1] += weight * f;
    }
  }

  /** Eight orientation bins per quarter of a {@code size x size} plane, into out[at..at+32). */
  private static void edges(float[] plane, int size, float[] out, int at) {
    float[] hist = new float[32];
    float total = 0;
    int halfSize = size / 2;
    for (int y = 1; y < size - 1; y++) {
      for (int x = 1; x < size - 1; x++) {
        int i = y * size + x;
        float gx = plane[i + 1] - plane[i - 1];
        float gy = plane[i + size] - plane[i - size];
        float mag = (float) Math.sqrt(gx * gx + gy * gy);
        if (mag < 1e-3f) {
          continue;
        }
        // Unsigned orientation in [0, pi) to 8 bins, soft between neighbours (circular).
        double angle = Math.atan2(gy, gx);
        if (angle < 0) {
          angle += Math.PI;
        }
        float p = (float) (angle / Math.PI * 8) - 0.5f;
        int b0 = (int) Math.floor(p);
        float f = p - b0;
        int cell = (y < halfSize ? 0 : 2) + (x < halfSize ? 0 : 1);
        hist[cell * 8 + Math.floorMod(b0, 8)] += mag * (1f - f);
        hist[cell * 8 + Math.floorMod(b0 + 1, 8)] += mag * f;
        total += mag;
      }
    }
    for (int k = 0; k < 32; k++) {
      out[at + k] = total > 0 ? hist[k] / total : 0f;
    }
  }

  private static void signedSqrt(float[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.copySign((float) Math.sqrt(Math.abs(v[i])), v[i]);
    }
  }

  private static float norm(float[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += (double) v[i] * v[i];
    }
    // A block that is all zero (blank image, no edges) stays zero instead of dividing by zero.
    return s > 0 ? (float) Math.sqrt(s) : Float.POSITIVE_INFINITY;
  }

  private static void scale(float[] v, int from, int to, float factor) {
    for (int i = from; i < to; i++) {
      v[i] *= factor;
    }
  }

  private static float[] dct8x8(float[] block) {
    float[] tmp = new float[64];
    float[] outc = new float[64];
    for (int u = 0; u < 8; u++) {
      for (int x = 0; x < 8; x++) {
        float s = 0;
        for (int y = 0; y < 8; y++) {
          s += DCT8[u * 8 + y] * block[y * 8 + x];
        }
        tmp[u * 8 + x] = s;
      }
    }
    for (int u = 0; u < 8; u++) {
      for (int v = 0; v < 8; v++) {
        float s = 0;
        for (int x = 0; x < 8; x++) {
          s += tmp[u * 8 + x] * DCT8[v * 8 + x];
        }
        outc[u * 8 + v] = s;
      }
    }
    return outc;
  }

  private static float[] dct8() {
    float[] m = new float[64];
    for (int u = 0; u < 8; u++) {
      double norm = u == 0 ? Math.sqrt(1.0 / 8) : Math.sqrt(2.0 / 8);
      for (int j = 0; j < 8; j++) {
        m[u * 8 + j] = (float) (norm * Math.cos(Math.PI / 16 * u * (2 * j + 1)));
      }
    }
    return m;
  }

  /** Row-major indices of an n x n block in JPEG zigzag order. */
  private static int[] zigzag(int n) {
    int[] order = new int[n * n];
    int k = 0;
    for (int s = 0; s < 2 * n - 1; s++) {
      for (int i = 0; i < n; i++) {
        int j = s - i;
        if (j < 0 || j >= n) {
          continue;
        }
        // Even diagonals run up-right, odd ones down-left.
        int row = (s % 2 == 0) ? j : i;
        int col = (s % 2 == 0) ? i : j;
        order[k++] = row * n + col;
      }
    }
    return order;
  }
}
