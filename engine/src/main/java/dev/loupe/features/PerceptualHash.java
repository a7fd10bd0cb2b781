package dev.loupe.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The PDQ-style 256-bit DCT hash of a 64 x 64 luminance grid, its quality and its eight dihedral
 * variants.
 *
 * <p>The hash keeps the DCT coefficients of frequencies 0..15 in each direction, the DC term
 * (overall brightness) replaced by frequency (16, 16), and sets the bits of those above their
 * median. Bit {@code 16 u + v} holds vertical frequency {@code u} and horizontal frequency
 * {@code v} (bit 0: (16, 16)), so chunk {@code u} of {@link Hash256#chunk(int)} is one row of
 * frequencies. PDQ leaves out frequency 0 in both directions because padding shifts it; borders
 * are trimmed here first, and keeping it lets one-dimensional structure (stripes, horizons) count.
 *
 * <p>The dihedral variants come from the coefficients alone: mirroring an axis negates the odd
 * frequencies along it, and transposing the grid transposes the coefficients (the kept set is
 * closed under both). Each variant is then thresholded at its own median.
 */
final class PerceptualHash {
  static final int GRID = 64;
  static final int FREQUENCIES = 16;
  /** Frequencies 0..16 are computed; the hash keeps 256 of them. */
  private static final int COMPUTED = FREQUENCIES + 1;
  /** {@code DCT[f][j]}: the orthonormal DCT-II basis for frequency {@code f} at sample j. */
  private static final float[] DCT = dctMatrix();
  /** Vertical and horizontal frequency of hash bit {@code i}; filled once, never written again. */
  private static final int[] FREQ_U = new int[256];
  private static final int[] FREQ_V = new int[256];
  /** Median coefficient margin, in DCT units, that earns quality 100. */
  static final float FULL_QUALITY_MARGIN = 20f;

  static {
    for (int u = 0; u < FREQUENCIES; u++) {
      for (int v = 0; v < FREQUENCIES; v++) {
        int i = u * FREQUENCIES + v;
        if (u == 0 && v == 0) {
          FREQ_U[i] = FREQUENCIES;
          FREQ_V[i] = FREQUENCIES;
        } else {
          FREQ_U[i] = u;
          FREQ_V[i] = v;
        }
      }
    }
  }

  private PerceptualHash() {}

  private static float[] dctMatrix() {
    float[] m = new float[COMPUTED * GRID];
    for (int u = 0; u < COMPUTED; u++) {
      double norm = u == 0 ? Math.sqrt(1.0 / GRID) : Math.sqrt(2.0 / GRID);
      for (int j = 0; j < GRID; j++) {
        m[u * GRID + j] = (float) (norm * Math.cos(Math.PI / (2 * GRID) * u * (2 * j + 1)));
      }
    }
    return m;
  }

  /**
   * The 17 x 17 coefficients {@code D * luma * D^T} of frequencies 0..16, row-major.
   *
   * @param scratch at least {@code 17 * 64} floats
   */
  static float[] coefficients(float[] luma, float[] scratch) {
    // Rows first: scratch[u][x] = sum_y D[u][y] * luma[y][x].
    Arrays.fill(scratch, 0, COMPUTED * GRID, 0f);
    for (int u = 0; u < COMPUTED; u++) {
      int out = u * GRID;
      for (int y = 0; y < GRID; y++) {
        float d = DCT[u * GRID + y];
        int in = y * GRID;
        for (int x = 0; x < GRID; x++) {
          scratch[out + x] += d * luma[in + x];
        }
      }
    }
    float[] c = new float[COMPUTED * COMPUTED];
    for (int u = 0; u < COMPUTED; u++) {
      for (int v = 0; v < COMPUTED; v++) {
        float sum = 0;
        int a = u * GRID;
        int b = v * GRID;
        for (int x = 0; x < GRID; x++) {
          sum += scratch[a + x] * DCT[b + x];
        }
        c[u * COMPUTED + v] = sum;
      }
    }
    return c;
  }

  /**
   * How firmly the bits are set, 0 to 100: the median distance of the 256 hashed coefficients from
   * their median, in luminance levels (a coefficient of 32 is a full-image cosine of amplitude one
   * level), at {@link #FULL_QUALITY_MARGIN} or more giving 100. A bit flips when noise moves its
   * coefficient across the median, so this is the margin a typical bit has against recompression,
   * rescaling and exposure changes. It is a gradient energy measured in the hash's own frequency
   * band: unlike PDQ's image-domain gradient sum, it also sees that fine texture (stripes, dot
   * grids) puts no energy where the hash looks, and it does not penalise smooth but structured
   * pictures.
   */
  static int quality(float[] c) {
    float[] selected = new float[256];
    for (int i = 0; i < 256; i++) {
      selected[i] = c[FREQ_U[i] * COMPUTED + FREQ_V[i]];
    }
    float[] sorted = selected.clone();
    Arrays.sort(sorted);
    float median = (sorted[127] + sorted[128]) / 2;
    for (int i = 0; i < 256; i++) {
      sorted[i] = Math.abs(selected[i] - median);
    }
    Arrays.sort(sorted);
    float margin = (sorted[127] + sorted[128]) / 2;
    return Math.min(100, Math.round(100 * margin / FULL_QUALITY_MARGIN));
  }

  /** The eight variants in {@link DihedralTransform} order. */
  static List<Hash256> dihedral(float[] c) {
    List<Hash256> hashes = new ArrayList<>(8);
    float[] t = new float[256];
    for (DihedralTransform transform : DihedralTransform.values()) {
      for (int i = 0; i < 256; i++) {
        int fu = FREQ_U[i];
        int fv = FREQ_V[i];
        // Mirroring an axis negates that axis's odd frequencies.
        boolean oddU = (fu & 1) == 1;
        boolean oddV = (fv & 1) == 1;
        float same = c[fu * COMPUTED + fv];
        float swapped = c[fv * COMPUTED + fu];
        t[i] = switch (transform) {
          case IDENTITY -> same;
          case MIRROR_X -> negateIf(oddV, same);
          case MIRROR_Y -> negateIf(oddU, same);
          case ROTATE_180 -> negateIf(oddU ^ oddV, same);
          case TRANSPOSE -> swapped;
          // rot90 = transpose(mirrorY): the source's vertical frequency is our horizontal one.
          case ROTATE_90 -> negateIf(oddV, swapped);
          // rot270 = transpose(mirrorX).
          case ROTATE_270 -> negateIf(oddU, swapped);
          // anti-transpose = rot180(transpose).
          case ANTI_TRANSPOSE -> negateIf(oddU ^ oddV, swapped);
        };
      }
      hashes.add(threshold(t));
    }
    return hashes;
  }

  private static float negateIf(boolean negate, float value) {
    return negate ? -value : value;
  }

  /** Bits set where a coefficient exceeds the median of all 256. */
  static Hash256 threshold(float[] c) {
    float[] sorted = c.clone();
    Arrays.sort(sorted);
    float median = (sorted[127] + sorted[128]) / 2;
    long[] w = new long[4];
    for (int i = 0; i < 256; i++) {
      if (c[i] > median) {
        w[i >>> 6] |= 1L << (63 - (i & 63));
      }
    }
    return new Hash256(w[0], w[1], w[2], w[3]);
  }
}
