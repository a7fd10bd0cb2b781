package dev.loupe.embed;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which model made a vector: what an index records so that it is never searched with vectors from
 * another model.
 *
 * @param name the model directory's name, e.g. {@code ViT-B-32__openai}
 * @param dimension the embedding dimension ({@code embed_dim})
 * @param checksums SHA-256 (hex) of each file of the model that changes its vectors, by path
 *     relative to the directory with {@code /} separators; sorted
 */
public record ModelIdentity(String name, int dimension, Map<String, String> checksums) {
  public ModelIdentity {
    Objects.requireNonNull(name, "name");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got: " + dimension);
    }
    checksums = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(checksums));
  }

  /** True if vectors from {@code other} may be compared with vectors from this model. */
  public boolean sameVectorsAs(ModelIdentity other) {
    return dimension == other.dimension && checksums.equals(other.checksums);
  }

  /** The visual tower's checksum, shortened: a readable fingerprint for messages. */
  public String fingerprint() {
    String visual = checksums.getOrDefault("visual/model.onnx", "");
    return visual.length() > 12 ? visual.substring(0, 12) : visual;
  }
}
