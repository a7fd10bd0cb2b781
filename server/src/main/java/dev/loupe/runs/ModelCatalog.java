package dev.loupe.runs;

import java.util.Optional;

/** Resolves the request's {@code model} to a backend; empty means "unknown model" (404). */
@FunctionalInterface
public interface ModelCatalog {
  Optional<ModelBackend> find(String model);

  /** Every model name served by the same backend (the model name is an opaque route key). */
  static ModelCatalog serving(ModelBackend backend) {
    return model -> Optional.of(backend);
  }
}
