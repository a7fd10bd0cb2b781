package dev.loupe.tools;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Tells indexed local files (paths, {@code file:} URLs) from URLs and uploads among sources. */
public final class LocalSource {
  // Two or more letters, so that a Windows drive letter ("C:\...") still reads as a path.
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  private LocalSource() {}

  /** The file an occurrence was indexed from, if its source is a local file. */
  public static Optional<Path> path(String source) {
    try {
      if (source.regionMatches(true, 0, "file:", 0, 5)) {
        return Optional.of(Path.of(URI.create(source)));
      }
      if (SCHEME.matcher(source).find()) {
        return Optional.empty();
      }
      return Optional.of(Path.of(source));
    } catch (IllegalArgumentException e) { // InvalidPathException included
      return Optional.empty();
    }
  }
}
