package dev.loupe.bench;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.LocalFeatures;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeypointPoolTest {
  private static final int WORDS = LocalFeatures.DESCRIPTOR_WORDS;

  /** {@code n} keypoints in a {@code width x height} frame, descriptors numbered from {@code first}. */
  private static LocalFeatures source(int n, int width, int height, long first) {
    long[] d = new long[n * WORDS];
    for (int i = 0; i < d.length; i++) {
      d[i] = first + i;
    }
    return new LocalFeatures(width, height, new float[n], new float[n], d, new byte[3 * n]);
  }

  private static final List<LocalFeatures> SOURCES =
      List.of(source(5, 512, 384, 1000), source(3, 300, 512, 2000), source(0, 64, 64, 0));

  @Test
  void sameSeedSameSets() {
    KeypointPool pool = new KeypointPool(SOURCES);
    Random a = TestSeed.random(7);
    Random b = TestSeed.random(7);
    for (int i = 0; i < 50; i++) {
      LocalFeatures x = pool.sample(a);
      LocalFeatures y = pool.sample(b);
      assertEquals(x.frameWidth(), y.frameWidth());
      assertEquals(x.frameHeight(), y.frameHeight());
      assertArrayEquals(x.x(), y.x());
      assertArrayEquals(x.y(), y.y());
      assertArrayEquals(x.descriptors(), y.descriptors());
      assertArrayEquals(x.colours(), y.colours());
    }
  }

  @Test
  void otherSeedOtherSets() {
    KeypointPool pool = new KeypointPool(SOURCES);
    Random a = TestSeed.random(7);
    Random b = TestSeed.random(8);
    boolean differ = false;
    for (int i = 0; i < 20 && !differ; i++) {
      differ = !Arrays.equals(pool.sample(a).descriptors(), pool.sample(b).descriptors());
    }
    assertTrue(differ);
  }

  @Test
  void samplesTakeRealDescriptorsCountsAndFrames() {
    KeypointPool pool = new KeypointPool(SOURCES);
    assertEquals(8, pool.descriptors());
    assertEquals(3, pool.images());
    assertEquals(8 / 3.0, pool.meanKeypoints(), 1e-9);
    Set<Long> firstWords = new HashSet<>();
    for (LocalFeatures s : SOURCES) {
      for (int i = 0; i < s.size(); i++) {
        firstWords.add(s.descriptors()[i * WORDS]);
      }
    }
    Set<String> shapes = new HashSet<>();
    Random random = TestSeed.random(1);
    for (int k = 0; k < 300; k++) {
      LocalFeatures f = pool.sample(random);
      shapes.add(f.size() + "@" + f.frameWidth() + "x" + f.frameHeight());
      for (int i = 0; i < f.size(); i++) {
        long first = f.descriptors()[i * WORDS];
        assertTrue(firstWords.contains(first), "descriptor not from the pool: " + first);
        for (int w = 1; w < WORDS; w++) {
          assertEquals(first + w, f.descriptors()[i * WORDS + w], "descriptor words taken apart");
        }
        assertTrue(f.x()[i] >= 0 && f.x()[i] < f.frameWidth());
        assertTrue(f.y()[i] >= 0 && f.y()[i] < f.frameHeight());
      }
    }
    assertEquals(Set.of("5@512x384", "3@300x512", "0@64x64"), shapes);
  }

  @Test
  void descriptorsMixAcrossSourceImages() {
    KeypointPool pool = new KeypointPool(List.of(source(4, 100, 100, 0), source(4, 100, 100, 1_000_000)));
    Random random = TestSeed.random(3);
    boolean mixed = false;
    for (int k = 0; k < 100 && !mixed; k++) {
      long[] d = pool.sample(random).descriptors();
      boolean low = false;
      boolean high = false;
      for (int i = 0; i < d.length; i += WORDS) {
        low |= d[i] < 1_000_000;
        high |= d[i] >= 1_000_000;
      }
      mixed = low && high;
    }
    assertTrue(mixed, "a sample should draw from the whole pool, not copy one image");
  }

  @Test
  void emptyPoolIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new KeypointPool(List.of(source(0, 10, 10, 0))));
    assertFalse(new KeypointPool(List.of(source(1, 10, 10, 0))).sample(TestSeed.random(1)).isEmpty());
  }
}
