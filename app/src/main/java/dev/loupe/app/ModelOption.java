package dev.loupe.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} option (embedding model directory) of the commands that index or search. */
final class ModelOption {
  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "Embedding model directory (open_clip layout, docs/embeddings.md); default: $LOUPE_MODEL, else "
          + "the model the data directory recorded, else none.")
  Path model;

  /** The model directory asked for, or null (then the data directory's recorded model, if any). */
  Path dir() {
    if (model != null) {
      return model;
    }
    String env = System.getenv("LOUPE_MODEL");
    return env == null || env.isBlank() ? null : Path.of(env);
  }
}
