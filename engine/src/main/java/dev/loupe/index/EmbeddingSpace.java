package dev.loupe.index;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an {@link EmbeddingIndex} records about the model that made its vectors, so that it is never
 * searched with vectors of another model.
 *
 * @param model the model's name (its directory name)
 * @param dimension the vectors' dimension
 * @param checksums SHA-256 of the model's files, by relative path; two spaces with the same
 *     dimension and checksums hold comparable vectors
 * @param location where the model directory was when it was recorded, so that later commands can
 *     open it without being told; may be empty
 */
public record EmbeddingSpace(String model, int dimension, Map<String, String> checksums, String location) {
  public EmbeddingSpace {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(location, "location");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got: " + dimension);
    }
    checksums = Collections.unmodifiableSortedMap(new TreeMap<>(checksums));
  }

  /** True if vectors of {@code other} can be compared with this space's. */
  public boolean sameVectorsAs(EmbeddingSpace other) {
    return dimension == other.dimension && checksums.equals(other.checksums);
  }
}
