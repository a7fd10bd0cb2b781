package dev.loupe.embed;

import java.util.Arrays;

/**
 * A visual tower's preprocessing, as {@code visual/preprocess_cfg.json} states it.
 *
 * @param size the square input side S of the tensor [1, 3, S, S]
 * @param mean per-channel mean, RGB, subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation, RGB, divided by after subtracting the mean
 * @param resizeMode {@link ResizeMode#SHORTEST} (shortest side to S, then the centre S x S) or
 *     {@link ResizeMode#SQUASH} (straight to S x S)
 */
public record Preprocessing(int size, float[] mean, float[] std, ResizeMode resizeMode) {
  /** How the picture is brought to the model's square input. */
  public enum ResizeMode { SHORTEST, SQUASH }

  public Preprocessing {
    if (size < 1 || size > 4096) {
      throw new IllegalArgumentException("size must be between 1 and 4096, got: " + size);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std must have 3 values (RGB), got: " + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std values must be positive, got: " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p && p.size == size && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std)
        && p.resizeMode == resizeMode;
  }

  @Override
  public int hashCode() {
    return (size * 31 + Arrays.hashCode(mean)) * 31 + Arrays.hashCode(std) + resizeMode.hashCode();
  }

  @Override
  public String toString() {
    return "Preprocessing[size=" + size + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
        + ", resizeMode=" + resizeMode + "]";
  }

  /**
   * The model's input for interleaved BGR pixels: RGB, channels first, each value
   * {@code (v / 255 - mean) / std}; {@code 3 * size * size} floats.
   */
  float[] tensor(byte[] bgr, int width, int height) {
    int outW;
    int outH;
    if (resizeMode == ResizeMode.SQUASH) {
      outW = size;
      outH = size;
    } else if (width < height) {
      outW = size;
      outH = (int) ((double) height / width * size);
    } else {
      outW = (int) ((double) width / height * size);
      outH = size;
    }
    double[] resized = BicubicResampler.resize(bgr, width, height, outW, outH);
    // centre crop as open_clip/immich compute it: int(w / 2 - S / 2)
    int left = (int) (outW / 2.0 - size / 2.0);
    int top = (int) (outH / 2.0 - size / 2.0);
    float[] out = new float[3 * size * size];
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int src = ((top + y) * outW + left + x) * 3;
        for (int c = 0; c < 3; c++) {
          double v = resized[src + 2 - c]; // BGR in, RGB out
          out[c * plane + y * size + x] = (float) ((v / 255.0 - mean[c]) / std[c]);
        }
      }
    }
    return out;
  }
}
