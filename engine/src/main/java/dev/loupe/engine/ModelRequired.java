package dev.loupe.engine;

/**
 * A query that needs what the configured embedding model cannot do: a text query without a model,
 * or with an image-only model. The message names the setting to change ({@code --model} or
 * {@code LOUPE_MODEL}); servers answer it with 400.
 */
public final class ModelRequired extends RuntimeException {
  public ModelRequired(String message) {
    super(message, null, false, false);
  }
}
