package dev.loupe.bench;

import dev.loupe.features.LocalFeatures;
import java.util.List;
import java.util.Random;

/**
 * Synthetic keypoint sets made of real descriptors, for cost benchmarks at a scale no real
 * collection on this machine reaches.
 *
 * <p>The pool keeps every descriptor of some real images (their {@link LocalFeatures}, as the
 * engine extracted them) and, per image, its keypoint count and frame size. A sample takes one of
 * those images at random for its count and frame, then draws that many descriptors uniformly, with
 * replacement, from the whole pool, and gives each keypoint a uniformly random position in the frame
 * and a random colour. So the visual words of the synthetic images follow the frequencies of real
 * descriptors (hence the posting lists of the index have realistic lengths), and the keypoint counts
 * and frames follow the real images; but a synthetic image is not a picture: its keypoints have no
 * spatial structure and it shares no more with any query than chance and the pool allow. It measures
 * cost, not quality.
 *
 * <p>Deterministic: the same pool and the same seeded {@link Random} give the same sets.
 */
final class KeypointPool {
  private static final int WORDS = LocalFeatures.DESCRIPTOR_WORDS;

  private final long[] descriptors;
  private final int[] counts;
  private final int[] widths;
  private final int[] heights;

  /** A pool of every keypoint of {@code sources}; at least one of them must have keypoints. */
  KeypointPool(List<LocalFeatures> sources) {
    int total = 0;
    for (LocalFeatures f : sources) {
      total += f.size();
    }
    if (total == 0) {
      throw new IllegalArgumentException("no keypoints in " + sources.size() + " source images");
    }
    descriptors = new long[total * WORDS];
    counts = new int[sources.size()];
    widths = new int[sources.size()];
    heights = new int[sources.size()];
    int at = 0;
    for (int i = 0; i < sources.size(); i++) {
      LocalFeatures f = sources.get(i);
      System.arraycopy(f.descriptors(), 0, descriptors, at, f.size() * WORDS);
      at += f.size() * WORDS;
      counts[i] = f.size();
      widths[i] = f.frameWidth();
      heights[i] = f.frameHeight();
    }
  }

  /** Descriptors in the pool. */
  int descriptors() {
    return descriptors.length / WORDS;
  }

  /** Real images the pool was made from. */
  int images() {
    return counts.length;
  }

  /** Mean keypoints per source image, which is also the expected size of a sample. */
  double meanKeypoints() {
    return (double) descriptors() / images();
  }

  /** One synthetic keypoint set. */
  LocalFeatures sample(Random random) {
    int source = random.nextInt(counts.length);
    int n = counts[source];
    int width = widths[source];
    int height = heights[source];
    float[] x = new float[n];
    float[] y = new float[n];
    long[] d = new long[n * WORDS];
    byte[] colours = new byte[3 * n];
    int pool = descriptors();
    for (int i = 0; i < n; i++) {
      x[i] = random.nextFloat() * width;
      y[i] = random.nextFloat() * height;
      System.arraycopy(descriptors, random.nextInt(pool) * WORDS, d, i * WORDS, WORDS);
    }
    random.nextBytes(colours);
    return new LocalFeatures(width, height, x, y, d, colours);
  }
}
