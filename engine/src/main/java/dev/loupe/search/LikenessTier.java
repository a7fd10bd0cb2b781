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
  /** Similar hits score at most this (cosine 1), under the copy tiers. */
  static final double SCORE_SPAN = 0.75;
  /**
   * Likeness cosine under which nothing is returned as similar. On the likeness dev set
   * ({@code bench/run likeness}, docs/benchmarks.md) it raises the precision of the top 10 kept from
   * 0.57 to 0.80, at 3 hits per query instead of 10.
   */
  static final double MIN_LIKENESS_COSINE = 0.70;
  /**
   * The floor of the fallback on the copy descriptor (indexes without likeness descriptors): on the
   * same dev set it keeps hits at the precision of the unfloored likeness tier and drops the
   * unrelated tail.
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
    if (query.likeness().length > 0 && index.hasLikeness()) {
      collect(index.alike(query.likeness(), k, filter), MIN_LIKENESS_COSINE, best);
    } else if (query.descriptor().length > 0) {
      List<float[]> vectors = new ArrayList<>();
      vectors.add(query.descriptor());
      vectors.addAll(dihedralDescriptors);
      for (float[] v : vectors) {
        collect(index.nearest(v, k, filter), MIN_DESCRIPTOR_COSINE, best);
      }
    }
    return best.values().stream().sorted((a, b) -> Double.compare(b.score(), a.score())).toList();
  }

  private static void collect(List<Candidate> candidates, double floor, Map<String, Alike> best) {
    for (Candidate c : candidates) {
      // Lucene's dot-product score is (1 + cosine) / 2.
      double cosine = 2 * c.similarity() - 1;
      if (cosine < floor) {
        continue;
      }
      double score = SCORE_SPAN * Math.min(cosine, 1);
      best.merge(c.image().id(), new Alike(c.image(), score), (a, b) -> a.score() >= b.score() ? a : b);
    }
  }
}
