package dev.loupe.search;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.index.Candidate;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a search over an {@link ImageIndex} in tiers and merges the tiers into one ranked list.
 *
 * <ol>
 *   <li><b>exact</b>: an image with the query's pixel key;
 *   <li><b>near_duplicate</b>: images whose hash is within {@link SearchSettings#nearDuplicateDistance()}
 *       of one of the query's 8 dihedral hashes, when both hashes have enough quality to be trusted;
 *   <li><b>similar</b>: the descriptor's nearest neighbours that are not already copies.
 * </ol>
 *
 * Each image appears once, under its strongest kind. Thread-safe; cost is two index queries and a
 * sort of at most a few hundred candidates.
 */
public final class ImageSearcher {
  /** Copies beyond this many are not ranked (a query with more distinct copies is pathological). */
  private static final int MAX_COPY_CANDIDATES = 1000;
  private static final double NEAR_DUPLICATE_FLOOR = 0.75;
  /** Near-duplicates score at most 0.99, so that 1 always means the same pixels. */
  private static final double NEAR_DUPLICATE_SPAN = 0.24;

  private final ImageIndex index;
  private final SearchSettings settings;

  public ImageSearcher(ImageIndex index, SearchSettings settings) {
    this.index = Objects.requireNonNull(index, "index");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public ImageSearcher(ImageIndex index) {
    this(index, SearchSettings.defaults());
  }

  public SearchSettings settings() {
    return settings;
  }

  /** Searches for images like {@code query}; hits are numbered from 1 in their final order. */
  public List<SearchHit> search(ImageSignature query, SearchRequest request) throws IOException {
    return search(query, List.of(), request);
  }

  /**
   * As {@link #search(ImageSignature, SearchRequest)}, with the descriptors of the query's
   * rotations and mirrors. They are used only when the query's hash is too weak to find rotated
   * copies (quality under {@link SearchSettings#minCopyQuality()}); each costs one more
   * nearest-neighbour search, so callers compute them only for such queries (see
   * {@link #wantsDihedralDescriptors(ImageSignature)}).
   */
  public List<SearchHit> search(ImageSignature query, List<float[]> dihedralDescriptors, SearchRequest request)
      throws IOException {
    IndexFilter filter = new IndexFilter(request.domains());
    Map<String, Ranked> byId = new LinkedHashMap<>();

    if (request.wants(MatchKind.EXACT) || request.wants(MatchKind.NEAR_DUPLICATE)) {
      index.imageByPixelKey(query.pixelKey())
          .filter(image -> onDomains(image, filter))
          .ifPresent(image -> byId.put(image.id(), new Ranked(image, MatchKind.EXACT, 1.0, 0)));
    }
    if (request.wants(MatchKind.NEAR_DUPLICATE) && query.quality() >= settings.minCopyQuality()) {
      List<Hash256> hashes = query.dihedral().isEmpty() ? List.of(query.hash()) : query.dihedral();
      int radius = settings.nearDuplicateDistance();
      for (Candidate c : index.withinDistance(hashes, radius, settings.minCopyQuality(), filter, MAX_COPY_CANDIDATES)) {
        double score = NEAR_DUPLICATE_FLOOR + NEAR_DUPLICATE_SPAN * (1 - c.hashDistance() / (radius + 1.0));
        byId.putIfAbsent(c.image().id(), new Ranked(c.image(), MatchKind.NEAR_DUPLICATE, score, c.hashDistance()));
      }
    }
    if (request.wants(MatchKind.SIMILAR) && query.descriptor().length > 0) {
      int k = Math.max(settings.similarCandidates(), 3 * request.topK());
      List<float[]> descriptors = new ArrayList<>();
      descriptors.add(query.descriptor());
      if (wantsDihedralDescriptors(query)) {
        descriptors.addAll(dihedralDescriptors);
      }
      for (float[] descriptor : descriptors) {
        for (Candidate c : index.nearest(descriptor, k, filter)) {
          Ranked known = byId.get(c.image().id());
          // Lucene's dot-product score is (1 + cosine) / 2; show the cosine, floored at 0, below the copy tiers.
          double score = NEAR_DUPLICATE_FLOOR * Math.max(0, 2 * c.similarity() - 1);
          if (known == null || (known.kind == MatchKind.SIMILAR && known.score < score)) {
            int distance = c.image().signature().hash().distance(query.hash());
            byId.put(c.image().id(), new Ranked(c.image(), MatchKind.SIMILAR, score, distance));
          }
        }
      }
    }

    List<Ranked> ranked = new ArrayList<>();
    for (Ranked r : byId.values()) {
      if (request.wants(r.kind)) {
        ranked.add(r);
      }
    }
    ranked.sort(comparator(request.sort()));
    List<SearchHit> hits = new ArrayList<>();
    for (Ranked r : ranked.subList(0, Math.min(request.topK(), ranked.size()))) {
      hits.add(r.toHit(hits.size() + 1, filter));
    }
    return hits;
  }

  /** Whether {@link #search(ImageSignature, List, SearchRequest)} would use rotated descriptors. */
  public boolean wantsDihedralDescriptors(ImageSignature query) {
    return query.quality() < settings.minCopyQuality();
  }

  private static boolean onDomains(IndexedImage image, IndexFilter filter) {
    return filter.isEmpty() || image.occurrences().stream().anyMatch(o -> filter.domains().contains(o.domain()));
  }

  private static Comparator<Ranked> comparator(SortOrder order) {
    Comparator<Ranked> relevance = Comparator.<Ranked>comparingInt(r -> r.kind.ordinal())
        .thenComparing(Comparator.<Ranked>comparingDouble(r -> r.score).reversed())
        .thenComparing(r -> r.image.id());
    return switch (order) {
      case RELEVANCE -> relevance;
      case OLDEST -> Comparator.<Ranked, java.time.Instant>comparing(r -> r.image.firstSeen()).thenComparing(relevance);
      case NEWEST -> Comparator.<Ranked, java.time.Instant>comparing(r -> r.image.firstSeen()).reversed().thenComparing(relevance);
      case LARGEST -> Comparator.<Ranked>comparingLong(r -> r.image.pixels()).reversed().thenComparing(relevance);
      case MOST_CHANGED -> Comparator.<Ranked>comparingDouble(
              r -> r.differences == null ? Double.NEGATIVE_INFINITY : r.differences.amount())
          .reversed().thenComparing(relevance);
    };
  }

  private record Ranked(IndexedImage image, MatchKind kind, double score, int distance, Differences differences) {
    Ranked(IndexedImage image, MatchKind kind, double score, int distance) {
      this(image, kind, score, distance, null);
    }

    SearchHit toHit(int rank, IndexFilter filter) {
      Occurrence shown = image.occurrences().stream()
          .filter(o -> filter.isEmpty() || filter.domains().contains(o.domain()))
          .findFirst()
          .orElse(image.earliest());
      double rounded = Math.round(score * 10_000) / 10_000.0;
      return new SearchHit(rank, image.id(), shown.title(), shown.url(), shown.pageUrl(), rounded, kind,
          image.firstSeen(), image.width(), image.height(), shown.source(), distance, image, differences);
    }
  }
}
