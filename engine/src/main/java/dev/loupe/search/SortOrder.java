package dev.loupe.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Orders for search hits. */
public enum SortOrder {
  /** Strongest match kind first, then score (the default). */
  RELEVANCE,
  /** Earliest first-seen time first. */
  OLDEST,
  /** Latest first-seen time first. */
  NEWEST,
  /** Most pixels first. */
  LARGEST,
  /**
   * Copies that differ most from the query first (by {@link Differences#amount()}); hits without
   * verified differences follow, by relevance.
   */
  MOST_CHANGED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a JSON name; the message lists the accepted names. */
  public static SortOrder fromWireName(String name) {
    for (SortOrder order : values()) {
      if (order.wireName().equals(name)) {
        return order;
      }
    }
    throw new IllegalArgumentException("unknown sort: " + name + " (expected one of: "
        + Arrays.stream(values()).map(SortOrder::wireName).collect(Collectors.joining(", ")) + ")");
  }
}
