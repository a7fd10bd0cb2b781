package dev.loupe.index;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Restricts index queries to images with an occurrence on one of the given domains.
 *
 * @param domains lower-case host names without {@code www.}; empty means no restriction. A domain
 *     also matches its subdomains only if listed: {@code example.com} does not match
 *     {@code img.example.com}.
 */
public record IndexFilter(Set<String> domains) {
  /** No restriction. */
  public static final IndexFilter NONE = new IndexFilter(Set.of());

  public IndexFilter {
    domains = domains.stream()
        .map(d -> Objects.requireNonNull(d, "domain").toLowerCase(Locale.ROOT))
        .map(d -> d.startsWith("www.") ? d.substring(4) : d)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  public boolean isEmpty() {
    return domains.isEmpty();
  }
}
