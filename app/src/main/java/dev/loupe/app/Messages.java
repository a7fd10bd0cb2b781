package dev.loupe.app;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one line a person can act on. */
final class Messages {
  private Messages() {}

  static String describe(Throwable e) {
    return switch (e) {
      case ImageRejected r -> r.getMessage();
      case FetchException f -> f.getMessage();
      case NoSuchFileException n -> n.getFile() + ": no such file or folder";
      default -> e.getMessage() == null ? e.toString() : e.getMessage();
    };
  }
}
