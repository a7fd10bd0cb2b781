package dev.loupe.server.rest;

import dev.loupe.telemetry.Ledger;
import dev.loupe.telemetry.Metrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.ingest.ImageSource;
import dev.loupe.ingest.IngestFailure;
import dev.loupe.ingest.IngestProgress;
import dev.loupe.ingest.IngestReport;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.protocol.ApiException;
import dev.loupe.server.http.MethodNotAllowed;
import dev.loupe.server.http.RequestBody;
import dev.loupe.tools.HitJson;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingest jobs over HTTP. {@code POST /v1/ingest} with {@code {"urls": [...]}}, each an http(s) URL
 * or {@code {"url", "title", "page_url"}}, at most {@value #MAX_URLS}, starts a job that fetches
 * them under the server's fetch policy and answers 202 with the job. {@code GET /v1/ingest/{id}}
 * shows it: {@code status} ({@code running}, {@code completed}, {@code failed}), {@code total},
 * {@code processed}, {@code failed}, {@code skipped}, {@code rate} (images a second),
 * {@code elapsed_seconds} and, once completed, {@code new_images}, {@code new_occurrences},
 * {@code seen_again} and {@code failures} ({@code {"url", "message"}}, the first
 * {@value #MAX_FAILURES_SHOWN}). The last {@value #KEPT_JOBS} jobs are kept, in memory.
 */
public final class IngestJobRoutes implements HttpService {
  static final int MAX_URLS = 10_000;
  static final int MAX_FAILURES_SHOWN = 100;
  static final int KEPT_JOBS = 100;

  private final Loupe loupe;
  private final ServerConfig config;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, IngestJob> jobs = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, IngestJob> eldest) {
      return size() > KEPT_JOBS;
    }
  };

  public IngestJobRoutes(Loupe loupe, ServerConfig config) {
    this.loupe = loupe;
    this.config = config;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/v1/ingest", this::start)
        .any("/v1/ingest", MethodNotAllowed.allowing("POST"))
        .get("/v1/ingest/{id}", this::show)
        .any("/v1/ingest/{id}", MethodNotAllowed.allowing("GET"));
  }

  private void start(ServerRequest request, ServerResponse response) throws Exception {
    ObjectNode body = RequestBody.parseJsonObject(RequestBody.read(request, config.maxRequestBytes()));
    List<ImageRecord> records = records(body.get("urls"));
    IngestJob job = new IngestJob("ingest_" + HexFormat.of().formatHex(bytes()), records.size());
    synchronized (jobs) {
      jobs.put(job.id, job);
    }
    ImageSource source = new ImageSource() {
      @Override
      public long size() {
        return records.size();
      }

      @Override
      public String description() {
        return "ingest job " + job.id;
      }

      @Override
      public Iterator<ImageRecord> iterator() {
        return records.iterator();
      }
    };
    // The job outlives the request: its images go on the ledger of the caller who started it.
    Ledger.Account account = Ledger.ACCOUNT.isBound() ? Ledger.ACCOUNT.get() : null;
    Runnable work = () -> {
      try {
        var report = loupe.ingestor().run(source, job::progress);
        Metrics.ingested(report);
        job.done(report);
      } catch (IOException | RuntimeException e) {
        job.failed(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    };
    Thread.ofVirtual().name(job.id).start(account == null ? work : () -> ScopedValue.where(Ledger.ACCOUNT, account).run(work));
    response.status(Status.ACCEPTED_202);
    Json.send(response, json(job));
  }

  private byte[] bytes() {
    byte[] b = new byte[12];
    random.nextBytes(b);
    return b;
  }

  private static List<ImageRecord> records(JsonNode urls) {
    if (urls == null || urls.isNull()) {
      throw ApiException.badRequest("missing_required_parameter", "urls",
          "Missing urls: send {\"urls\": [\"https://…\", …]} (or objects {\"url\", \"title\", \"page_url\"}).");
    }
    if (!urls.isArray() || urls.isEmpty() || urls.size() > MAX_URLS) {
      throw ApiException.invalidValue("urls", "urls must be an array of 1 to " + MAX_URLS + " URLs, got: "
          + (urls.isArray() ? urls.size() + " items" : urls.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    List<ImageRecord> records = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      JsonNode item = urls.get(i);
      String param = "urls[" + i + "]";
      JsonNode url = item.isObject() ? item.get("url") : item;
      if (url == null || !url.isTextual()) {
        throw ApiException.invalidValue(param, param + " must be a URL string or an object with a url, got: " + item);
      }
      if (!(RemoteImages.parse(url.textValue(), param) instanceof RemoteImage.Url remote)) {
        throw ApiException.invalidValue(param, param + " must be an http(s) URL, got a data URL");
      }
      String title = item.isObject() && item.path("title").isTextual() ? item.get("title").textValue() : null;
      String page = item.isObject() && item.path("page_url").isTextual() ? item.get("page_url").textValue() : null;
      records.add(new ImageRecord(remote.uri().toString(), title, page, null));
    }
    return records;
  }

  private void show(ServerRequest request, ServerResponse response) {
    String id = request.path().pathParameters().get("id");
    IngestJob job;
    synchronized (jobs) {
      job = jobs.get(id);
    }
    if (job == null) {
      throw ApiException.notFound("No ingest job with id " + (id.length() > 60 ? id.substring(0, 60) + "…" : id) + ".");
    }
    Json.send(response, json(job));
  }

  private static ObjectNode json(IngestJob job) {
    ObjectNode o = HitJson.MAPPER.createObjectNode();
    o.put("id", job.id);
    o.put("object", "ingest.job");
    o.put("status", job.status());
    o.put("created_at", job.created.getEpochSecond());
    o.put("total", job.total);
    IngestProgress p = job.progress();
    IngestReport report = job.report();
    o.put("processed", report != null ? report.processed() : p.processed());
    o.put("failed", report != null ? report.failures().size() : p.failed());
    o.put("skipped", report != null ? report.skipped() : p.skipped());
    o.put("rate", Math.round(p.rate() * 100) / 100.0);
    o.put("elapsed_seconds", Math.round((report != null ? report.elapsed() : p.elapsed()).toMillis() / 10.0) / 100.0);
    if (report != null) {
      o.put("new_images", report.newImages());
      o.put("new_occurrences", report.newOccurrences());
      o.put("seen_again", report.seenAgain());
      ArrayNode failures = o.putArray("failures");
      for (IngestFailure f : report.failures().subList(0, Math.min(MAX_FAILURES_SHOWN, report.failures().size()))) {
        failures.addObject().put("url", f.location()).put("message", f.message());
      }
    }
    if (job.error() != null) {
      o.put("error", job.error());
    }
    return o;
  }
}
