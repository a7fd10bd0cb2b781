package dev.loupe.search;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.index.ImageIndex;

/**
 * Tuning of {@link ImageSearcher}.
 *
 * @param nearDuplicateDistance largest Hamming distance (bits of 256) at which a hit is called a
 *     near-duplicate; default {@link #DEFAULT_NEAR_DUPLICATE_DISTANCE}, tuned on the dev set
 *     (docs/benchmarks.md); at most {@link ImageIndex#MAX_HASH_RADIUS}
 * @param minCopyQuality hashes of lower quality (query or stored) never make copy claims; default
 *     {@link FeatureExtractor#MIN_COPY_QUALITY}
 * @param similarCandidates how many descriptor neighbours to fetch at least (more when top_k is
 *     larger: three times top_k); default 100 (at 1M images, 30 candidates saved 1.5 ms per query
 *     and lost 13 points of recall; docs/benchmarks.md)
 */
public record SearchSettings(int nearDuplicateDistance, int minCopyQuality, int similarCandidates) {
  /** See {@link #nearDuplicateDistance()}. */
  public static final int DEFAULT_NEAR_DUPLICATE_DISTANCE = 31;

  public SearchSettings {
    if (nearDuplicateDistance < 0 || nearDuplicateDistance > ImageIndex.MAX_HASH_RADIUS) {
      throw new IllegalArgumentException("nearDuplicateDistance must be in 0.." + ImageIndex.MAX_HASH_RADIUS
          + ", got: " + nearDuplicateDistance);
    }
    if (minCopyQuality < 0 || minCopyQuality > 100) {
      throw new IllegalArgumentException("minCopyQuality must be in 0..100, got: " + minCopyQuality);
    }
    if (similarCandidates < 1) {
      throw new IllegalArgumentException("similarCandidates must be at least 1, got: " + similarCandidates);
    }
  }

  public static SearchSettings defaults() {
    return new SearchSettings(DEFAULT_NEAR_DUPLICATE_DISTANCE, FeatureExtractor.MIN_COPY_QUALITY, 100);
  }
}
