package dev.loupe.ingest;

import java.time.Instant;
import java.util.Objects;

/**
 * One image to ingest, as a source describes it.
 *
 * @param location where to read it from: a file path, an http(s) or data URL; becomes the
 *     occurrence's {@code source}
 * @param title its title, or null to derive one from the location's file name
 * @param pageUrl the page it appears on, or null
 * @param firstSeen when it was first seen, or null for the time of ingest
 */
public record ImageRecord(String location, String title, String pageUrl, Instant firstSeen) {
  public ImageRecord {
    Objects.requireNonNull(location, "location");
    if (location.isBlank()) {
      throw new IllegalArgumentException("location must not be blank");
    }
  }

  public static ImageRecord of(String location) {
    return new ImageRecord(location, null, null, null);
  }

  /** The title, or the file name without its extension when none was given. */
  public String titleOrFileName() {
    if (title != null && !title.isBlank()) {
      return title.strip();
    }
    if (location.startsWith("data:")) {
      return "uploaded image";
    }
    String path = location;
    int query = path.indexOf('?');
    if (query >= 0 && (path.startsWith("http://") || path.startsWith("https://"))) {
      path = path.substring(0, query);
    }
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf(java.io.File.separatorChar));
    String name = path.substring(slash + 1);
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      name = name.substring(0, dot);
    }
    return name.isBlank() ? location : name;
  }

  /** The image's own URL when the location is an http(s) URL, else null. */
  public String url() {
    return location.startsWith("http://") || location.startsWith("https://") ? location : null;
  }
}
