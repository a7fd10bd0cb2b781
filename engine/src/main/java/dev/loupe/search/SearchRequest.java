package dev.loupe.search;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to search for, besides the query image.
 *
 * @param topK how many hits at most, 1 to {@link #MAX_TOP_K}; default {@link #DEFAULT_TOP_K}
 * @param kinds which match kinds to return; empty means all
 * @param domains only images seen on one of these hosts; empty means all
 * @param sort the order of the hits; default {@link SortOrder#RELEVANCE}
 */
public record SearchRequest(int topK, Set<MatchKind> kinds, Set<String> domains, SortOrder sort) {
  /** Default number of hits. */
  public static final int DEFAULT_TOP_K = 10;
  /** Most hits a search returns (the hosted tool's limit). */
  public static final int MAX_TOP_K = 100;

  public SearchRequest {
    if (topK < 1 || topK > MAX_TOP_K) {
      throw new IllegalArgumentException("top_k must be between 1 and " + MAX_TOP_K + ", got: " + topK);
    }
    kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    domains = Set.copyOf(domains);
    Objects.requireNonNull(sort, "sort");
  }

  /** The defaults: 10 hits, every kind, every domain, by relevance. */
  public static SearchRequest defaults() {
    return new SearchRequest(DEFAULT_TOP_K, Set.of(), Set.of(), SortOrder.RELEVANCE);
  }

  public SearchRequest withTopK(int k) {
    return new SearchRequest(k, kinds, domains, sort);
  }

  public SearchRequest withKinds(Set<MatchKind> k) {
    return new SearchRequest(topK, k, domains, sort);
  }

  public SearchRequest withDomains(Set<String> d) {
    return new SearchRequest(topK, kinds, d, sort);
  }

  public SearchRequest withSort(SortOrder s) {
    return new SearchRequest(topK, kinds, domains, s);
  }

  /** Whether hits of this kind are wanted. */
  public boolean wants(MatchKind kind) {
    return kinds.isEmpty() || kinds.contains(kind);
  }
}
