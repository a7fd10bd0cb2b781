package dev.loupe.search;

import dev.loupe.features.ImageSignature;
import dev.loupe.features.LikenessDescriptor;
import dev.loupe.index.Candidate;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code similar} tier without a model: the nearest neighbours of the query's
 * {@link LikenessDescriptor} in the index, kept only above a calibrated floor, so that a query
 * with nothing alike gets fewer hits rather than unrelated ones. An index written before likeness
 * descriptors existed has none; the tier then falls back to the copy descriptor
 * ({@link ImageSignature#descriptor()}) with its own floor, as before plus the floor. Scores are
 * {@link #SCORE_SPAN} times the cosine, so they stay below the copy tiers' 0.75. Thread-safe.
 */
final class LikenessTier {
  /** Similar hits score this times the cosine, under the copy tiers' 0.75. */
  static final double SCORE_SPAN = 0.75;
  /** The cosine is capped here: scores stay at or under 0.7499 after rounding. */
  private static final double MAX_COSINE = 0.9998;
  /**
   * Likeness cosine under which nothing is returned as similar (score 0.525). On the likeness dev
   * set ({@code bench/run likeness}, docs/benchmarks.md) the share of a query's top 10 that is of
   * another kind (photograph, abstract art, graphic) falls from 7.4% to 0.8%, and 7.3 hits of 10
   * stay; on the demo, landscapes answer landscapes at 0.77 to 0.86 and the nearest clip art sits
   * at 0.63 to 0.68.
   */
  static final double MIN_LIKENESS_COSINE = 0.70;
  /**
   * The floor of the fallback on the copy descriptor (indexes without likeness descriptors), score
   * 0.5625: on the same dev set hits of another kind fall from 16.7% to 2.6% of the top 10, and
   * 5.6 hits of 10 stay.
   */
  static final double MIN_DESCRIPTOR_COSINE = 0.75;

  /** An image found alike, with its score (0 to 0.75). */
  record Alike(IndexedImage image, double score) {}

  private final ImageIndex index;

  LikenessTier(ImageIndex index) {
    this.index = index;
  }

  /**
   * The images alike to the query, best first, at most {@code k} per vector searched, none under
   * the floor.
   *
   * @param dihedralDescriptors the copy descriptors of the query's rotations and mirrors, searched
   *     too on the fallback path (empty when not wanted)
   */
  List<Alike> find(ImageSignature query, List<float[]> dihedralDescriptors, int k, IndexFilter filter)
      throws IOException {
    Map<String, Alike> best = new LinkedHashMap<>();
    float[] likeness = query.likeness();
    if (likeness.length > 0 && index.hasLikeness()) {
      for (Candidate c : index.alike(likeness, k, filter)) {
        keep(c.image(), cosine(likeness, c.image().signature().likeness()), MIN_LIKENESS_COSINE, best);
      }
    } else if (query.descriptor().length > 0) {
      List<float[]> vectors = new ArrayList<>();
      vectors.add(query.descriptor());
      vectors.addAll(dihedralDescriptors);
      for (float[] v : vectors) {
        for (Candidate c : index.nearest(v, k, filter)) {
          keep(c.image(), cosine(v, c.image().signature().descriptor()), MIN_DESCRIPTOR_COSINE, best);
        }
      }
    }
    return best.values().stream().sorted((a, b) -> Double.compare(b.score(), a.score())).toList();
  }

  /**
   * The exact cosine from the stored vectors: the graph's 7-bit quantized scores were seen 0.05
   * under it at 692 dimensions, and the floor is calibrated on exact cosines.
   */
  private static double cosine(float[] query, float[] stored) {
    return stored.length == query.length ? LikenessDescriptor.similarity(query, stored) : -1;
  }

  private static void keep(IndexedImage image, double cosine, double floor, Map<String, Alike> best) {
    if (cosine < floor) {
      return;
    }
    // Capped so that, rounded to four decimals, a similar hit never reaches the copy band's 0.75.
    double score = SCORE_SPAN * Math.min(cosine, MAX_COSINE);
    best.merge(image.id(), new Alike(image, score), (a, b) -> a.score() >= b.score() ? a : b);
  }
}
