package dev.loupe.features;

import java.util.Arrays;

/**
 * The visual words a query looks up, each with the weight its shared occurrences count for (a word
 * one bit away from the query's own counts for less: chance meets it more often than a copy does).
 *
 * @param words distinct words, sorted
 * @param weights one weight per word, in (0, 1]
 */
public record WordLookup(int[] words, float[] weights) {
  public static final WordLookup NONE = new WordLookup(new int[0], new float[0]);

  public WordLookup {
    if (words.length != weights.length) {
      throw new IllegalArgumentException(words.length + " words but " + weights.length + " weights");
    }
    for (int i = 0; i < words.length; i++) {
      if (i > 0 && words[i] <= words[i - 1]) {
        throw new IllegalArgumentException("words must be distinct and sorted");
      }
      if (!(weights[i] > 0 && weights[i] <= 1)) {
        throw new IllegalArgumentException("weight out of (0, 1]: " + weights[i]);
      }
    }
  }

  /** Every word with weight 1. */
  public static WordLookup of(int[] words) {
    float[] ones = new float[words.length];
    Arrays.fill(ones, 1f);
    return new WordLookup(words, ones);
  }

  public int size() {
    return words.length;
  }

  public boolean isEmpty() {
    return words.length == 0;
  }
}
