package dev.loupe.features;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns binary keypoint descriptors into visual words that an inverted index can look up, without
 * a trained vocabulary: locality-sensitive hashing by bit sampling. Each of {@link #TABLES} tables
 * reads {@link #BITS} fixed bit positions of the 256-bit descriptor; the word is the table number
 * and those bits. Two descriptors at Hamming distance {@code d} share a table's word with
 * probability {@code (1 - d/256)^BITS}: for the 16 to 40 bits that separate a keypoint from itself
 * in an edited copy, a 20-bit table matches with probability 0.03 to 0.28, and at least one of five
 * tables with 0.16 to 0.80, while unrelated descriptors (about 128 bits apart) share one with
 * probability 2^-20 per table. 16-bit words were tried first: they find more true pairs, but each
 * query word then hits about 30 random images of a 5,000-image index, and the random votes buried
 * crops and screenshots below the 20 candidates verified (docs/local-features.md).
 *
 * <p>Training-free by choice: a k-means vocabulary would need a training set representative of
 * every collection and would have to ship with the index, while bit sampling depends only on the
 * fixed positions below (seeded, so every Loupe computes the same words). Positions are drawn without
 * repetition inside a table; tables may share positions.
 */
public final class VisualWords {
  /** Hash tables per descriptor. */
  public static final int TABLES = 5;
  /** Bits per word. */
  public static final int BITS = 20;
  private static final long SEED = 0x4c6f757065L;
  private static final int[][] POSITIONS = positions();

  private VisualWords() {}

  /** The {@link #TABLES} words of keypoint {@code i}, each {@code table << 24 | key}. */
  public static void words(LocalFeatures features, int i, int[] out) {
    long[] d = features.descriptors();
    int base = i * LocalFeatures.DESCRIPTOR_WORDS;
    for (int t = 0; t < TABLES; t++) {
      int key = 0;
      for (int bit : POSITIONS[t]) {
        key = (key << 1) | (int) ((d[base + (bit >>> 6)] >>> (bit & 63)) & 1L);
      }
      out[t] = (t << 24) | key;
    }
  }

  /** Every distinct word of every keypoint, sorted. */
  public static int[] distinctWords(LocalFeatures features) {
    int[] all = new int[features.size() * TABLES];
    int[] one = new int[TABLES];
    for (int i = 0; i < features.size(); i++) {
      words(features, i, one);
      System.arraycopy(one, 0, all, i * TABLES, TABLES);
    }
    return Arrays.stream(all).sorted().distinct().toArray();
  }

  /** A word as index term bytes: four bytes, big-endian, so that terms sort like the words. */
  public static byte[] termBytes(int word) {
    return new byte[] {(byte) (word >>> 24), (byte) (word >>> 16), (byte) (word >>> 8), (byte) word};
  }

  private static int[][] positions() {
    SplittableRandom random = new SplittableRandom(SEED);
    int[][] out = new int[TABLES][];
    for (int t = 0; t < TABLES; t++) {
      out[t] = random.ints(0, LocalFeatures.DESCRIPTOR_BITS).distinct().limit(BITS).toArray();
    }
    return out;
  }
}
