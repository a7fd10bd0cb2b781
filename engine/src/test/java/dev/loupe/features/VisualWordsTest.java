package dev.loupe.features;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VisualWordsTest {
  private static LocalFeatures one(long[] descriptor) {
    return new LocalFeatures(10, 10, new float[] {1}, new float[] {1}, descriptor, new byte[3]);
  }

  @Test
  void aWordReadsOnlyTheSignatureAndEachOfItsBitsOnce() {
    SplittableRandom random = new SplittableRandom(TestSeed.random(7).nextLong());
    long[] d = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
    int word = VisualWords.word(one(d), 0);
    assertEquals(VisualWords.TABLE, word >>> 24, "the words' own range");
    int changed = 0;
    for (int bit = 0; bit < LocalFeatures.DESCRIPTOR_BITS; bit++) {
      long[] e = d.clone();
      e[bit >>> 6] ^= 1L << (bit & 63);
      int other = VisualWords.word(one(e), 0);
      if (other != word) {
        changed++;
        assertTrue(bit < LocalFeatures.SIGNATURE_BITS, "bit " + bit + " is outside the signature");
        assertEquals(1, Integer.bitCount(other ^ word), "one descriptor bit moves one word bit");
      }
    }
    assertEquals(VisualWords.BITS, changed);
    // The compact set keeps the signature, so its word is the full set's.
    LocalFeatures full = one(d);
    assertEquals(word, VisualWords.word(full.compact(1), 0));
  }

  @Test
  void indexWordsAreDistinctSortedAndOnePerKeypoint() {
    SplittableRandom random = new SplittableRandom(TestSeed.random(8).nextLong());
    long[] d = new long[40 * 4];
    for (int i = 0; i < d.length; i++) {
      d[i] = random.nextLong();
    }
    // Keypoint 1 repeats keypoint 0, so its word is not repeated.
    System.arraycopy(d, 0, d, 4, 4);
    LocalFeatures f = new LocalFeatures(10, 10, new float[40], new float[40], d, new byte[120]);
    int[] words = VisualWords.indexWords(f);
    assertEquals(39, words.length);
    for (int i = 1; i < words.length; i++) {
      assertTrue(words[i - 1] < words[i]);
    }
    assertArrayEquals(words, VisualWords.indexWords(f));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, VisualWords.termBytes(0x01020304));
  }

  @Test
  void aQueryProbesItsWordAndEveryWordOneBitAway() {
    SplittableRandom random = new SplittableRandom(TestSeed.random(9).nextLong());
    long[] d = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
    LocalFeatures query = one(d);
    WordLookup lookup = VisualWords.probed(query);
    int[] probes = lookup.words();
    assertEquals(VisualWords.BITS + 1, probes.length);
    int word = VisualWords.word(query, 0);
    assertTrue(Arrays.binarySearch(probes, word) >= 0);
    // The keypoint's own word counts fully, the others less.
    for (int i = 0; i < probes.length; i++) {
      assertEquals(probes[i] == word ? 1f : VisualWords.PROBE_WEIGHT, lookup.weights()[i]);
    }
    assertArrayEquals(new int[] {word}, VisualWords.exact(query).words());
    // An edit that flips one sampled bit still meets the query; two flipped bits do not.
    int oneAway = 0;
    int twoAway = 0;
    for (int a = 0; a < LocalFeatures.SIGNATURE_BITS; a++) {
      long[] e = d.clone();
      e[0] ^= 1L << a;
      if (Arrays.binarySearch(probes, VisualWords.word(one(e), 0)) >= 0) {
        oneAway++;
      }
      for (int b = a + 1; b < LocalFeatures.SIGNATURE_BITS; b++) {
        long[] f = e.clone();
        f[0] ^= 1L << b;
        int w = VisualWords.word(one(f), 0);
        if (Integer.bitCount(w ^ word) == 2 && Arrays.binarySearch(probes, w) >= 0) {
          twoAway++;
        }
      }
    }
    assertEquals(LocalFeatures.SIGNATURE_BITS, oneAway);
    assertEquals(0, twoAway);
  }
}
