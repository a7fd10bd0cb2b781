package dev.loupe.runs;

import java.util.Optional;

/** Resolves the request's {@code model} to a backend; empty means "unknown model" (404). */
@FunctionalInterface
public interface ModelCatalog {
  Optional<ModelBackend> find(String model);

  /**
   * Pixels per token side of the images {@code model} reads (contract section 9): 32 (Qwen3-VL, the
   * default) or 28 (Qwen2.5-VL), what a protocol counts image tokens with.
   */
  default int patchFactor(String model) {
    return DEFAULT_PATCH_FACTOR;
  }

  /** The patch factor of a route that names no vision family: Qwen3-VL's. */
  int DEFAULT_PATCH_FACTOR = 32;

  /** Every model name served by the same backend (the model name is an opaque route key). */
  static ModelCatalog serving(ModelBackend backend) {
    return model -> Optional.of(backend);
  }
}
