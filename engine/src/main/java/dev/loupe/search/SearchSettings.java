package dev.loupe.search;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.index.ImageIndex;
import dev.loupe.keypoints.GeometricVerifier;

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
 * @param keypointCandidates how many images sharing the most visual words are verified
 *     geometrically; 0 turns keypoint matching off; default {@link #DEFAULT_KEYPOINT_CANDIDATES}
 * @param minInliers keypoint matches that must agree on one transform for a copy claim; default
 *     {@link GeometricVerifier#MIN_INLIERS} (docs/local-features.md has the curve)
 * @param regionPass whether a query in which nothing was found as a whole has its quadrants
 *     searched one by one (a collage tile); default on (docs/local-features.md, "Regions")
 */
public record SearchSettings(
    int nearDuplicateDistance, int minCopyQuality, int similarCandidates, int keypointCandidates, int minInliers,
    boolean regionPass) {
  /** Candidates verified per query: about 0.5 ms each, 7 ms for candidates sharing a caption (docs/benchmarks.md). */
  public static final int DEFAULT_KEYPOINT_CANDIDATES = 20;

  /**
   * 16 bits of 256. On the dev set (docs/benchmarks.md) it is the largest radius with no copy claim
   * on 600 negatives (the closest negative sits at 20 bits); 31 claimed one. Recall@1 is the same at
   * 15, 16 and 31, because a copy the hash misses is still found as the most similar image. 15 halves
   * search time (each chunk is then looked up exactly) for slightly fewer copy claims.
   */
  public static final int DEFAULT_NEAR_DUPLICATE_DISTANCE = 16;

  public SearchSettings {
    if (nearDuplicateDistance < 0 || nearDuplicateDistance > ImageIndex.MAX_HASH_RADIUS) {
      throw new IllegalArgumentException("nearDuplicateDistance must be in 0.." + ImageIndex.MAX_HASH_RADIUS
          + ", got: " + nearDuplicateDistance);
    }
    if (minCopyQuality < 0 || minCopyQuality > 100) {
      throw new IllegalArgumentException("minCopyQuality must be in 0..100, got: " + minCopyQuality);
    }
    if (keypointCandidates < 0) {
      throw new IllegalArgumentException("keypointCandidates must not be negative, got: " + keypointCandidates);
    }
    if (minInliers < 4) {
      throw new IllegalArgumentException("minInliers must be at least 4, got: " + minInliers);
    }
    if (similarCandidates < 1) {
      throw new IllegalArgumentException("similarCandidates must be at least 1, got: " + similarCandidates);
    }
  }

  public static SearchSettings defaults() {
    return new SearchSettings(DEFAULT_NEAR_DUPLICATE_DISTANCE, FeatureExtractor.MIN_COPY_QUALITY, 100,
        DEFAULT_KEYPOINT_CANDIDATES, GeometricVerifier.MIN_INLIERS, true);
  }

  public SearchSettings withKeypointCandidates(int n) {
    return new SearchSettings(nearDuplicateDistance, minCopyQuality, similarCandidates, n, minInliers, regionPass);
  }

  public SearchSettings withMinInliers(int n) {
    return new SearchSettings(nearDuplicateDistance, minCopyQuality, similarCandidates, keypointCandidates, n, regionPass);
  }

  public SearchSettings withNearDuplicateDistance(int bits) {
    return new SearchSettings(bits, minCopyQuality, similarCandidates, keypointCandidates, minInliers, regionPass);
  }

  public SearchSettings withSimilarCandidates(int n) {
    return new SearchSettings(nearDuplicateDistance, minCopyQuality, n, keypointCandidates, minInliers, regionPass);
  }

  /** With or without the search of the query's quadrants when the whole query finds no copy. */
  public SearchSettings withRegionPass(boolean on) {
    return new SearchSettings(nearDuplicateDistance, minCopyQuality, similarCandidates, keypointCandidates, minInliers, on);
  }

  /**
   * How many descriptor neighbours the similar tier fetches for {@code topK} results: {@link
   * #similarCandidates}, or three times {@code topK} when that is more.
   */
  public int similarPool(int topK) {
    return Math.max(similarCandidates, 3 * topK);
  }
}
