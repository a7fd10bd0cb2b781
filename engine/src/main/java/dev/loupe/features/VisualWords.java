package dev.loupe.features;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns binary keypoint descriptors into visual words that an inverted index can look up, without
 * a trained vocabulary: locality-sensitive hashing by bit sampling. A word is {@link #BITS} fixed
 * bit positions of the keypoint's {@value LocalFeatures#SIGNATURE_BITS}-bit signature (the bits a
 * compact keypoint set keeps, so the words of a stored image can always be derived again from what
 * the index holds). An indexed image has one word per keypoint; a query looks up each of its
 * keypoints' word ({@link #exact}) and, when that finds nothing, also the {@link #BITS} words one bit
 * away from it ({@link #probed}, multi-probe), so the index stays small while a query still finds
 * keypoints whose word lost a bit to an edit.
 *
 * <p>Two descriptors at Hamming distance {@code d} of 256 differ in each sampled bit with probability
 * about {@code p = d/256}; they share a word with probability {@code (1-p)^20} and are found by a
 * probe with {@code (1-p)^20 + 20 p (1-p)^19}: for the 16 to 40 bits that separate a keypoint from
 * itself in an edited copy, 0.28 to 0.03 and 0.65 to 0.16 (the five 20-bit tables of the first
 * index format, 400 keypoints each, found 0.80 to 0.16 at five times the postings). Unrelated
 * descriptors (about half their bits apart) share a word with probability 2^-20.
 *
 * <p>Training-free by choice: a k-means vocabulary would need a training set representative of
 * every collection and would have to ship with the index, while bit sampling depends only on the
 * fixed positions below (seeded, so every Loupe computes the same words). Words are index terms in
 * their own range ({@link #TABLE} in the top byte), apart from the first format's five tables
 * (0 to 4), which queries no longer look up.
 */
public final class VisualWords {
  /** Bits per word. */
  public static final int BITS = 20;
  /**
   * What a word one bit away from the query's own counts for. Measured on the dev set
   * (docs/local-features.md): 0.05 to 0.25 rank crops alike, 1 lets chance votes bury them.
   */
  public static final float PROBE_WEIGHT = 0.15f;
  /** The top byte of every word: the words of the first index format used 0 to 4. */
  public static final int TABLE = 8;
  private static final long SEED = 0x4c6f757065L;
  private static final int[] POSITIONS = positions();

  private VisualWords() {}

  /** The 20-bit key of keypoint {@code i}: its signature's bits at the sampled positions. */
  static int key(LocalFeatures features, int i) {
    long signature = features.descriptors()[i * features.descriptorWords()];
    int key = 0;
    for (int bit : POSITIONS) {
      key = (key << 1) | (int) ((signature >>> bit) & 1L);
    }
    return key;
  }

  /** The word of keypoint {@code i}: {@code TABLE << 24 | key}. */
  public static int word(LocalFeatures features, int i) {
    return TABLE << 24 | key(features, i);
  }

  /** The words an indexed image is found by: one per keypoint, distinct, sorted. */
  public static int[] indexWords(LocalFeatures features) {
    int[] all = new int[features.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = word(features, i);
    }
    return Arrays.stream(all).sorted().distinct().toArray();
  }

  /** The first lookup of a query: each keypoint's own word. */
  public static WordLookup exact(LocalFeatures features) {
    return WordLookup.of(indexWords(features));
  }

  /**
   * The wider lookup: each keypoint's word and the {@link #BITS} words one bit away from it
   * (multi-probe), those counting {@link #PROBE_WEIGHT} of a word of the query's own. Twenty-one
   * times the term lookups of {@link #exact}, so a search runs it only when the first found nothing.
   */
  public static WordLookup probed(LocalFeatures features) {
    int[] own = indexWords(features);
    int[] all = new int[features.size() * (BITS + 1)];
    int k = 0;
    for (int i = 0; i < features.size(); i++) {
      int key = key(features, i);
      all[k++] = TABLE << 24 | key;
      for (int b = 0; b < BITS; b++) {
        all[k++] = TABLE << 24 | (key ^ (1 << b));
      }
    }
    int[] words = Arrays.stream(all).sorted().distinct().toArray();
    float[] weights = new float[words.length];
    for (int i = 0; i < words.length; i++) {
      weights[i] = Arrays.binarySearch(own, words[i]) >= 0 ? 1f : PROBE_WEIGHT;
    }
    return new WordLookup(words, weights);
  }

  /** A word as index term bytes: four bytes, big-endian, so that terms sort like the words. */
  public static byte[] termBytes(int word) {
    return new byte[] {(byte) (word >>> 24), (byte) (word >>> 16), (byte) (word >>> 8), (byte) word};
  }

  private static int[] positions() {
    return new SplittableRandom(SEED).ints(0, LocalFeatures.SIGNATURE_BITS).distinct().limit(BITS).toArray();
  }
}
