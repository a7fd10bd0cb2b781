package dev.loupe.index;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Synthetic signatures for index tests, from one seeded Random. */
public final class TestSignatures {
  public static final int DIMENSIONS = 16;
  private final Random random;

  public TestSignatures(long seed) {
    this.random = new Random(seed);
  }

  public Hash256 randomHash() {
    return new Hash256(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
  }

  /** {@code hash} with {@code bits} distinct random bits flipped. */
  public Hash256 flip(Hash256 hash, int bits) {
    boolean[] b = new boolean[Hash256.BITS];
    for (int i = 0; i < Hash256.BITS; i++) {
      b[i] = hash.bit(i);
    }
    java.util.Set<Integer> flipped = new java.util.HashSet<>();
    while (flipped.size() < bits) {
      flipped.add(random.nextInt(Hash256.BITS));
    }
    flipped.forEach(i -> b[i] = !b[i]);
    return Hash256.ofBits(b);
  }

  public float[] randomDescriptor() {
    float[] d = new float[DIMENSIONS];
    double norm = 0;
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) random.nextGaussian();
      norm += d[i] * d[i];
    }
    for (int i = 0; i < d.length; i++) {
      d[i] /= (float) Math.sqrt(norm);
    }
    return d;
  }

  public String randomPixelKey() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public ImageSignature signature(Hash256 hash, int quality, float[] descriptor) {
    return new ImageSignature(randomPixelKey(), hash, quality, List.of(hash), descriptor);
  }

  /** {@code n} keypoints with random descriptors in a 400 x 300 frame. */
  public LocalFeatures randomKeypoints(int n) {
    float[] x = new float[n];
    float[] y = new float[n];
    long[] d = new long[n * LocalFeatures.DESCRIPTOR_WORDS];
    byte[] c = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextFloat() * 400;
      y[i] = random.nextFloat() * 300;
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = random.nextLong();
    }
    random.nextBytes(c);
    return new LocalFeatures(400, 300, x, y, d, c);
  }

  /** The first {@code keep} keypoints of {@code f}, each descriptor with {@code bits} random bits flipped. */
  public LocalFeatures noisyPart(LocalFeatures f, int keep, int bits) {
    long[] d = java.util.Arrays.copyOf(f.descriptors(), keep * LocalFeatures.DESCRIPTOR_WORDS);
    for (int i = 0; i < keep; i++) {
      for (int b = 0; b < bits; b++) {
        int bit = random.nextInt(LocalFeatures.DESCRIPTOR_BITS);
        d[i * LocalFeatures.DESCRIPTOR_WORDS + (bit >>> 6)] ^= 1L << (bit & 63);
      }
    }
    return new LocalFeatures(f.frameWidth(), f.frameHeight(), java.util.Arrays.copyOf(f.x(), keep),
        java.util.Arrays.copyOf(f.y(), keep), d, java.util.Arrays.copyOf(f.colours(), 3 * keep));
  }

  public ImageSignature randomSignature() {
    return signature(randomHash(), 80, randomDescriptor());
  }
}
