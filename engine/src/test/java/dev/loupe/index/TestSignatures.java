package dev.loupe.index;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
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

  public ImageSignature randomSignature() {
    return signature(randomHash(), 80, randomDescriptor());
  }
}
