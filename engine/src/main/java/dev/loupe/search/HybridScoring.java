package dev.loupe.search;

/**
 * How an image query and a text query are combined into one ranking of similar images
 * (docs/embeddings.md#hybrid-scoring has the measurement behind the default).
 */
public enum HybridScoring {
  /** {@code (1 - w) * cos(image) + w * cos(text)}: keeps how close each side is. The default. */
  WEIGHTED_SUM,
  /**
   * Reciprocal-rank fusion, {@code 1 / (60 + rank by image) + 1 / (60 + rank by text)} over the
   * candidates: ignores the scales of the two cosines (text-to-image cosines of CLIP models are
   * much smaller than image-to-image ones), keeps only their orders.
   */
  RECIPROCAL_RANK
}
