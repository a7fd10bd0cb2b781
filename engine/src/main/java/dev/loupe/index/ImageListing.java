package dev.loupe.index;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Which indexed images to list, in which order, and which page of them.
 *
 * @param filter images with an occurrence on one of these domains; {@link IndexFilter#NONE} for all
 * @param sourcePrefix images with an occurrence whose source (path, URL or {@code upload:…}) starts
 *     with this; null for all
 * @param from images first seen at or after this; null for no lower bound
 * @param to images first seen before this; null for no upper bound
 * @param titleWord images with an occurrence whose title contains this word (case-insensitive,
 *     whole words); null for all
 * @param newestFirst order by first sighting, newest first (else oldest first)
 * @param offset how many matching images to skip, at least 0
 * @param limit how many to return, 1 to {@link #MAX_LIMIT}
 */
public record ImageListing(IndexFilter filter, String sourcePrefix, Instant from, Instant to, String titleWord,
    boolean newestFirst, int offset, int limit) {
  /** Largest page. */
  public static final int MAX_LIMIT = 1000;

  public ImageListing {
    filter = filter == null ? IndexFilter.NONE : filter;
    sourcePrefix = sourcePrefix == null || sourcePrefix.isEmpty() ? null : sourcePrefix;
    titleWord = titleWord == null || titleWord.isBlank() ? null : titleWord.strip().toLowerCase(Locale.ROOT);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be at least 0, got: " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got: " + limit);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to, got: from " + from + ", to " + to);
    }
  }

  /**
   * A time bound as users write it: an ISO-8601 instant ({@code 2015-06-01T12:00:00Z}) or a date
   * ({@code 2015-06-01}, midnight UTC).
   *
   * @throws IllegalArgumentException naming {@code name} when {@code value} is neither
   */
  public static Instant parseTime(String name, String value) {
    try {
      return value.length() == 10
          ? java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a date (2015-06-01) or an ISO-8601 instant"
          + " (2015-06-01T12:00:00Z), got: " + value);
    }
  }

  /** Every image, newest first, in pages of {@code limit}. */
  public static ImageListing all(int limit) {
    return new ImageListing(IndexFilter.NONE, null, null, null, null, true, 0, limit);
  }

  public ImageListing withOffset(int newOffset) {
    return new ImageListing(filter, sourcePrefix, from, to, titleWord, newestFirst, newOffset, limit);
  }

  /** Whether {@code title} has {@link #titleWord} as one of its words. */
  public boolean titleMatches(String title) {
    if (titleWord == null) {
      return true;
    }
    if (title == null) {
      return false;
    }
    for (String word : title.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.equals(titleWord)) {
        return true;
      }
    }
    return false;
  }

  Set<String> domains() {
    return filter.domains();
  }
}
