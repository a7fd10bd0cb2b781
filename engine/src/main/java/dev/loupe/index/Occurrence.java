package dev.loupe.index;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One place where an image was seen.
 *
 * @param source the location exactly as it was indexed (a file path, an http(s) URL); the key of
 *     the occurrence: indexing the same source again updates it rather than adding another
 * @param url where the image itself can be fetched, or null when it has no public URL (a local
 *     file)
 * @param pageUrl the page the image appears on, or null
 * @param title a human title, never null (falls back to the file name)
 * @param firstSeen when the image was first seen at this source
 * @param lastSeen when it was last seen there
 */
public record Occurrence(
    String source, String url, String pageUrl, String title, Instant firstSeen, Instant lastSeen) {

  public Occurrence {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (lastSeen.isBefore(firstSeen)) {
      throw new IllegalArgumentException("lastSeen " + lastSeen + " is before firstSeen " + firstSeen);
    }
  }

  /** A new occurrence seen once, at {@code seen}. */
  public static Occurrence of(String source, String url, String pageUrl, String title, Instant seen) {
    return new Occurrence(source, url, pageUrl, title, seen, seen);
  }

  /**
   * The host the occurrence belongs to, lower-case, without a leading {@code www.}: the page's
   * host if there is a page, else the image URL's host; null for local files.
   */
  public String domain() {
    String host = host(pageUrl);
    if (host == null) {
      host = host(url);
    }
    if (host == null) {
      host = host(source);
    }
    return host;
  }

  /** This occurrence merged with a later sighting of the same source. */
  public Occurrence mergedWith(Occurrence later) {
    Instant first = firstSeen.isBefore(later.firstSeen) ? firstSeen : later.firstSeen;
    Instant last = lastSeen.isAfter(later.lastSeen) ? lastSeen : later.lastSeen;
    return new Occurrence(
        source,
        later.url != null ? later.url : url,
        later.pageUrl != null ? later.pageUrl : pageUrl,
        later.title,
        first,
        last);
  }

  static String host(String location) {
    if (location == null || !(location.startsWith("http://") || location.startsWith("https://"))) {
      return null;
    }
    try {
      String host = URI.create(location).getHost();
      if (host == null) {
        return null;
      }
      host = host.toLowerCase(Locale.ROOT);
      return host.startsWith("www.") ? host.substring(4) : host;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
