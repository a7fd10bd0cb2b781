package dev.loupe.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a hit relates to the query, strongest claim first. */
public enum MatchKind {
  /** The same pixels: the same image, possibly in another file. */
  EXACT,
  /** A copy after edits that keep the whole picture: resize, recompression, colour changes, borders, rotation by 90°, mirror. */
  NEAR_DUPLICATE,
  /** One image is a region of the other: a crop, or a picture inside a larger one (found by keypoints). */
  PARTIAL,
  /** Looks alike (colours, layout, texture), with no claim of being a copy. */
  SIMILAR;

  /** The JSON name, for example {@code "near_duplicate"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this kind claims that the hit is a copy of the query. */
  public boolean isCopy() {
    return this != SIMILAR;
  }

  /** Parses a JSON name; the message lists the accepted names. */
  public static MatchKind fromWireName(String name) {
    for (MatchKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown match kind: " + name + " (expected one of: "
        + Arrays.stream(values()).map(MatchKind::wireName).collect(Collectors.joining(", ")) + ")");
  }
}
