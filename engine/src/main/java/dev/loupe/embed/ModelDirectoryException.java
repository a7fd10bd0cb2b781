package dev.loupe.embed;

import java.io.IOException;

/**
 * A model directory that cannot be used: a missing file, a graph with the wrong inputs or outputs,
 * an unreadable ONNX file or tokenizer. The message names the directory, the file and what to fix.
 */
public final class ModelDirectoryException extends IOException {
  public ModelDirectoryException(String message) {
    super(message);
  }

  public ModelDirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
