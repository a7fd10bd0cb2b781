package dev.loupe.features;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VisualWordsTest {
  private static LocalFeatures one(long[] descriptor) {
    return new LocalFeatures(10, 10, new float[] {1}, new float[] {1}, descriptor, new byte[3]);
  }

  @Test
  void oneFlippedBitChangesOnlyTheTablesThatReadIt() {
    SplittableRandom random = new SplittableRandom(TestSeed.random(7).nextLong());
    long[] d = {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
    int[] a = new int[VisualWords.TABLES];
    VisualWords.words(one(d), 0, a);
    int changedTablesTotal = 0;
    for (int bit = 0; bit < LocalFeatures.DESCRIPTOR_BITS; bit++) {
      long[] e = d.clone();
      e[bit >>> 6] ^= 1L << (bit & 63);
      int[] b = new int[VisualWords.TABLES];
      VisualWords.words(one(e), 0, b);
      for (int t = 0; t < VisualWords.TABLES; t++) {
        assertEquals(t, b[t] >>> 24, "table number in the word");
        if (a[t] != b[t]) {
          changedTablesTotal++;
        }
      }
    }
    // Each table reads BITS positions: flipping every bit once changes each table BITS times.
    assertEquals(VisualWords.TABLES * VisualWords.BITS, changedTablesTotal);
  }

  @Test
  void wordsAreDistinctSortedAndStable() {
    SplittableRandom random = new SplittableRandom(TestSeed.random(8).nextLong());
    long[] d = new long[40 * 4];
    for (int i = 0; i < d.length; i++) {
      d[i] = random.nextLong();
    }
    // Keypoint 1 repeats keypoint 0, so its words are not repeated.
    System.arraycopy(d, 0, d, 4, 4);
    LocalFeatures f = new LocalFeatures(10, 10, new float[40], new float[40], d, new byte[120]);
    int[] words = VisualWords.distinctWords(f);
    assertTrue(words.length <= 39 * VisualWords.TABLES && words.length > 30 * VisualWords.TABLES);
    for (int i = 1; i < words.length; i++) {
      assertTrue(words[i - 1] < words[i]);
    }
    assertArrayEquals(words, VisualWords.distinctWords(f));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, VisualWords.termBytes(0x01020304));
  }
}
