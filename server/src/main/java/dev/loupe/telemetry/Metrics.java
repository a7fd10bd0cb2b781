package dev.loupe.telemetry;

import dev.loupe.index.AddOutcome;
import dev.loupe.ingest.IngestReport;
import dev.loupe.search.SearchHit;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Locale;

/**
 * The process's metrics, in Prometheus's Java client (served as text at {@code GET /metrics}).
 * Counters are process-wide: every server, route and tool of the process adds to the same ones,
 * which is what a scrape of one process should show. Names and labels are listed in
 * docs/operations.md.
 */
public final class Metrics {
  /** Where the process-wide metrics live (not the client's default registry, which libraries may use). */
  public static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

  static final Counter REQUESTS = Counter.builder().name("loupe_http_requests_total")
      .help("HTTP requests answered, by route template, method and status code")
      .labelNames("route", "method", "status").register(REGISTRY);

  static final Histogram LATENCY = Histogram.builder().name("loupe_http_request_duration_seconds")
      .help("Time from the request to its answer (to the end of the stream for streams), by route template and method")
      .labelNames("route", "method").classicOnly()
      .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
      .register(REGISTRY);

  static final Counter SEARCHES = Counter.builder().name("loupe_searches_total")
      .help("Searches of the index, by surface (rest, tool, mcp) and by the tier of their best hit (none when empty)")
      .labelNames("surface", "tier").register(REGISTRY);

  static final Counter HITS = Counter.builder().name("loupe_search_hits_total")
      .help("Hits returned, by surface and tier (exact, near_duplicate, partial, similar)")
      .labelNames("surface", "tier").register(REGISTRY);

  static final Counter ADDED = Counter.builder().name("loupe_images_added_total")
      .help("Images given to the index over HTTP and MCP, by outcome (new_image, new_occurrence, seen_again, skipped, failed)")
      .labelNames("outcome").register(REGISTRY);

  static final Counter UPSTREAM = Counter.builder().name("loupe_upstream_calls_total")
      .help("Chat completions sent to model upstreams, by outcome (ok, or the failure kind)")
      .labelNames("outcome").register(REGISTRY);

  private Metrics() {}

  /** One answered HTTP request. */
  public static void request(String route, String method, int status, long nanos) {
    REQUESTS.labelValues(route, method, Integer.toString(status)).inc();
    LATENCY.labelValues(route, method).observe(nanos / 1e9);
  }

  /**
   * One search and its hits, on {@code surface} ({@code rest}, {@code tool}, {@code mcp}); a direct
   * one (not {@code tool}) is also on the caller's {@link Ledger}.
   */
  public static void searched(String surface, List<SearchHit> hits) {
    if (!surface.equals("tool")) {
      Ledger.searched();
    }
    SEARCHES.labelValues(surface, hits.isEmpty() ? "none" : tier(hits.getFirst())).inc();
    for (SearchHit hit : hits) {
      HITS.labelValues(surface, tier(hit)).inc();
    }
  }

  /** One image given to the index, also on the caller's {@link Ledger}. */
  public static void added(AddOutcome outcome) {
    Ledger.added(1);
    ADDED.labelValues(outcome.name().toLowerCase(Locale.ROOT)).inc();
  }

  /** One image refused (undecodable, too large, unreachable). */
  public static void addFailed() {
    ADDED.labelValues("failed").inc();
  }

  /** What an ingest job did, also on the caller's {@link Ledger}. */
  public static void ingested(IngestReport report) {
    Ledger.added(report.newImages() + report.newOccurrences() + report.seenAgain());
    ADDED.labelValues("new_image").inc(report.newImages());
    ADDED.labelValues("new_occurrence").inc(report.newOccurrences());
    ADDED.labelValues("seen_again").inc(report.seenAgain());
    ADDED.labelValues("skipped").inc(report.skipped());
    ADDED.labelValues("failed").inc(report.failures().size());
  }

  /** One completion sent upstream: {@code ok}, or the failure kind's code. */
  public static void upstreamCall(String outcome) {
    UPSTREAM.labelValues(outcome).inc();
  }

  private static String tier(SearchHit hit) {
    return hit.match().name().toLowerCase(Locale.ROOT);
  }
}
