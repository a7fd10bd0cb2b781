package dev.loupe.index;

import java.io.IOException;
import java.nio.file.Path;

/** Thrown when another process holds the index open for writing. */
public final class IndexInUseException extends IOException {
  public IndexInUseException(Path dir, Throwable cause) {
    super("the index at " + dir + " is in use by another process", cause);
  }
}
