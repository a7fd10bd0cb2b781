package dev.loupe.server.ops;

import dev.loupe.engine.Loupe;
import dev.loupe.index.IndexStats;
import dev.loupe.telemetry.Metrics;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * {@code GET /metrics}: the process's {@link Metrics} and this server's index size, in
 * Prometheus's text format (version 0.0.4), unauthenticated like {@code /healthz} only when the
 * server has no API keys. {@link #requests()} is the filter that counts every request by its route
 * template.
 */
public final class MetricsRoute implements HttpService {
  private final PrometheusRegistry local = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsRoute(Loupe loupe) {
    Objects.requireNonNull(loupe, "loupe");
    GaugeWithCallback.builder().name("loupe_index_images").help("Distinct images in the index")
        .callback(gauge -> gauge.call(stats(loupe).images())).register(local);
    GaugeWithCallback.builder().name("loupe_index_occurrences").help("Occurrences (places seen) in the index")
        .callback(gauge -> gauge.call(stats(loupe).occurrences())).register(local);
  }

  private static IndexStats stats(Loupe loupe) {
    try {
      return loupe.index().stats();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/metrics", this::scrape);
  }

  private void scrape(ServerRequest request, ServerResponse response) throws IOException {
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    for (MetricSnapshot snapshot : Metrics.REGISTRY.scrape()) {
      all.metricSnapshot(snapshot);
    }
    for (MetricSnapshot snapshot : local.scrape()) {
      all.metricSnapshot(snapshot);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, all.build());
    response.status(Status.OK_200);
    response.header(HeaderNames.CONTENT_TYPE, writer.getContentType());
    response.send(out.toByteArray());
  }

  /**
   * Counts each request when it has been answered, by the template of the route that matched
   * ({@code /v1/images/{id}}, never the id itself), {@code unmatched} for none.
   */
  public static Filter requests() {
    return (FilterChain chain, RoutingRequest request, RoutingResponse response) -> {
      long start = System.nanoTime();
      try {
        chain.proceed();
      } finally {
        Metrics.request(request.matchingPattern().filter(p -> !p.isEmpty()).orElse("unmatched"), request.prologue().method().text(),
            response.status().code(), System.nanoTime() - start);
      }
    };
  }
}
