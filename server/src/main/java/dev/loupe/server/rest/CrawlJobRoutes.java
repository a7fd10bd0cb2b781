package dev.loupe.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.crawl.CrawlFailure;
import dev.loupe.crawl.CrawlProgress;
import dev.loupe.crawl.CrawlReport;
import dev.loupe.crawl.CrawlScope;
import dev.loupe.crawl.CrawlSettings;
import dev.loupe.crawl.Crawler;
import dev.loupe.engine.Loupe;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Crawl jobs over HTTP, the server's form of {@code loupe crawl}. {@code POST /v1/crawls} with
 * {@code {"seeds": [...]}} (1 to {@value #MAX_SEEDS} page or sitemap URLs) and optional {@code scope}
 * ({@code host}, {@code domain}, {@code any}), {@code include} (a pattern page URLs must contain),
 * {@code depth}, {@code max_pages}, {@code max_images}, {@code max_hosts}, {@code max_mb},
 * {@code delay_ms} and {@code fresh} starts a crawl into the server's index under its fetch policy and
 * answers 202 with the job. The limits default to the command line's and are capped (a remote
 * caller cannot ask for an unbounded crawl, nor for a delay under {@value #MIN_DELAY_MS} ms between
 * two requests to one host). One crawl runs at a time: it shares the data directory's frontier, so
 * a second answers 409 while one runs.
 *
 * <p>{@code GET /v1/crawls/{id}} shows a job: {@code status} ({@code running}, {@code completed},
 * {@code stopped}, {@code failed}), the progress counts ({@code pages}, {@code images},
 * {@code failed}, {@code skipped}, {@code queued}, {@code hosts}, {@code bytes}, {@code rate},
 * {@code elapsed_seconds}) and, once ended, the report ({@code resumed}, {@code pages_fetched},
 * {@code pages_unchanged}, {@code new_images}, {@code new_occurrences}, {@code seen_again},
 * {@code skipped_by_reason}, {@code failures}, the first {@value #MAX_FAILURES_SHOWN}).
 * {@code DELETE /v1/crawls/{id}} stops a running crawl after the requests in flight: what it found
 * stays in the frontier, and the next crawl with the same seeds resumes it. The last
 * {@value #KEPT_JOBS} jobs are kept, in memory.
 */
public final class CrawlJobRoutes implements HttpService, AutoCloseable {
  static final int MAX_SEEDS = 100;
  static final int MAX_FAILURES_SHOWN = 100;
  static final int KEPT_JOBS = 100;
  static final int MAX_INCLUDE_LENGTH = 200;
  static final long MIN_DELAY_MS = 100;
  private static final Set<String> FIELDS = Set.of("seeds", "scope", "include", "depth", "max_pages",
      "max_images", "max_hosts", "max_mb", "delay_ms", "fresh");

  private final Loupe loupe;
  private final ServerConfig config;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, CrawlJob> jobs = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CrawlJob> eldest) {
      return size() > KEPT_JOBS && !eldest.getValue().status().equals("running");
    }
  };
  private CrawlJob running;

  public CrawlJobRoutes(Loupe loupe, ServerConfig config) {
    this(loupe, config, Clock.systemUTC());
  }

  /** With the clock that dates sightings (tests move it between crawls). */
  public CrawlJobRoutes(Loupe loupe, ServerConfig config, Clock clock) {
    this.loupe = loupe;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/v1/crawls", this::start)
        .any("/v1/crawls", MethodNotAllowed.allowing("POST"))
        .get("/v1/crawls/{id}", this::show)
        .delete("/v1/crawls/{id}", this::stop)
        .any("/v1/crawls/{id}", MethodNotAllowed.allowing("GET, DELETE"));
  }

  private void start(ServerRequest request, ServerResponse response) throws Exception {
    ObjectNode body = RequestBody.parseJsonObject(RequestBody.read(request, config.maxRequestBytes()));
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiException.badRequest("unknown_parameter", name, "Unknown field " + shorten(name)
            + ": a crawl takes " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ".");
      }
    }
    List<String> seeds = seeds(body.get("seeds"));
    CrawlSettings settings = settings(body);
    boolean fresh = flag(body, "fresh");
    Crawler crawler = new Crawler(loupe.index(), loupe.fetcher(), loupe.analyzer(),
        Crawler.frontierFile(loupe.config().dataDir()), settings, clock);
    CrawlJob job;
    synchronized (jobs) {
      if (running != null && running.status().equals("running")) {
        throw new ApiException(409, "invalid_request_error", "crawl_running", null,
            "A crawl is already running (" + running.id + "); one runs at a time. Stop it with"
                + " DELETE /v1/crawls/" + running.id + " or wait for it to end.");
      }
      job = new CrawlJob("crawl_" + HexFormat.of().formatHex(bytes()), seeds, crawler);
      jobs.put(job.id, job);
      running = job;
    }
    Thread.ofVirtual().name(job.id).start(() -> {
      try {
        job.done(crawler.run(seeds, fresh, job::progress));
      } catch (IOException | RuntimeException e) {
        // The message of a crawl failure names what failed (the frontier, the index); never a trace.
        job.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    });
    response.status(Status.ACCEPTED_202);
    Json.send(response, json(job));
  }

  private static List<String> seeds(JsonNode seeds) {
    if (seeds == null || seeds.isNull()) {
      throw ApiException.badRequest("missing_required_parameter", "seeds",
          "Missing seeds: send {\"seeds\": [\"https://…/\", …]}, page or sitemap URLs.");
    }
    if (!seeds.isArray() || seeds.isEmpty() || seeds.size() > MAX_SEEDS) {
      throw ApiException.invalidValue("seeds", "seeds must be an array of 1 to " + MAX_SEEDS + " URLs, got: "
          + (seeds.isArray() ? seeds.size() + " items" : seeds.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      JsonNode seed = seeds.get(i);
      String param = "seeds[" + i + "]";
      if (!seed.isTextual()) {
        throw ApiException.invalidValue(param, param + " must be a URL string, got: " + shorten(seed.toString()));
      }
      try {
        urls.add(Crawler.seed(seed.textValue()).toString());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidValue(param, param + ": " + shorten(e.getMessage()));
      }
    }
    return urls;
  }

  private static CrawlSettings settings(ObjectNode body) {
    CrawlSettings defaults = CrawlSettings.defaults();
    CrawlScope scope = defaults.scope();
    JsonNode s = body.get("scope");
    if (s != null && !s.isNull()) {
      scope = switch (s.isTextual() ? s.textValue() : "") {
        case "host" -> CrawlScope.HOST;
        case "domain" -> CrawlScope.DOMAIN;
        case "any" -> CrawlScope.ANY;
        default -> throw ApiException.invalidValue("scope",
            "scope must be host, domain or any, got: " + shorten(s.toString()));
      };
    }
    Pattern include = null;
    JsonNode i = body.get("include");
    if (i != null && !i.isNull()) {
      if (!i.isTextual() || i.textValue().isEmpty() || i.textValue().length() > MAX_INCLUDE_LENGTH) {
        throw ApiException.invalidValue("include", "include must be a pattern of 1 to "
            + MAX_INCLUDE_LENGTH + " characters, got: " + shorten(i.toString()));
      }
      try {
        include = Pattern.compile(i.textValue());
      } catch (PatternSyntaxException e) {
        throw ApiException.invalidValue("include", "include is not a valid pattern: "
            + shorten(e.getDescription()) + " near index " + e.getIndex());
      }
    }
    int depth = (int) number(body, "depth", defaults.maxDepth(), 0, 10);
    long pages = number(body, "max_pages", defaults.maxPages(), 1, 100_000);
    long images = number(body, "max_images", defaults.maxImages(), 1, 1_000_000);
    int hosts = (int) number(body, "max_hosts", defaults.maxHosts(), 1, 1_000);
    long megabytes = number(body, "max_mb", defaults.maxBytes() >> 20, 1, 100 * 1024);
    long delay = number(body, "delay_ms", defaults.defaultDelay().toMillis(), MIN_DELAY_MS, 60_000);
    return defaults.withScope(scope, include).withLimits(depth, pages, images, hosts, megabytes << 20)
        .withDefaultDelay(Duration.ofMillis(delay));
  }

  private static long number(ObjectNode body, String name, long otherwise, long min, long max) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return otherwise;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
      throw ApiException.invalidValue(name, name + " must be an integer from " + min + " to " + max
          + ", got: " + shorten(n.toString()));
    }
    return n.longValue();
  }

  private static boolean flag(ObjectNode body, String name) {
    JsonNode n = body.get(name);
    if (n == null || n.isNull()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw ApiException.invalidValue(name, name + " must be true or false, got: " + shorten(n.toString()));
    }
    return n.booleanValue();
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  private byte[] bytes() {
    byte[] b = new byte[12];
    random.nextBytes(b);
    return b;
  }

  private CrawlJob job(ServerRequest request) {
    String id = request.path().pathParameters().get("id");
    synchronized (jobs) {
      CrawlJob job = jobs.get(id);
      if (job == null) {
        throw ApiException.notFound("No crawl job with id " + shorten(id) + ".");
      }
      return job;
    }
  }

  private void show(ServerRequest request, ServerResponse response) {
    Json.send(response, json(job(request)));
  }

  private void stop(ServerRequest request, ServerResponse response) {
    CrawlJob job = job(request);
    job.stop();
    Json.send(response, json(job));
  }

  private static ObjectNode json(CrawlJob job) {
    ObjectNode o = HitJson.MAPPER.createObjectNode();
    o.put("id", job.id);
    o.put("object", "crawl.job");
    o.put("status", job.status());
    o.put("created_at", job.created.getEpochSecond());
    ArrayNode seeds = o.putArray("seeds");
    job.seeds.forEach(seeds::add);
    CrawlProgress p = job.progress();
    CrawlReport report = job.report();
    o.put("pages", p.pages());
    o.put("images", report != null ? report.images() : p.images());
    o.put("failed", report != null ? report.failures().size() : p.failed());
    o.put("skipped", report != null ? report.skipped().values().stream().mapToLong(Long::longValue).sum()
        : p.skipped());
    o.put("queued", p.queued());
    o.put("hosts", p.hosts());
    o.put("bytes", report != null ? report.bytes() : p.bytes());
    o.put("rate", Math.round(p.imageRate() * 100) / 100.0);
    o.put("elapsed_seconds", Math.round((report != null ? report.elapsed() : p.elapsed()).toMillis() / 10.0) / 100.0);
    if (report != null) {
      o.put("resumed", report.resumed());
      o.put("pages_fetched", report.pagesFetched());
      o.put("pages_unchanged", report.pagesUnchanged());
      o.put("new_images", report.newImages());
      o.put("new_occurrences", report.newOccurrences());
      o.put("seen_again", report.seenAgain());
      ObjectNode skipped = o.putObject("skipped_by_reason");
      new TreeMap<>(report.skipped()).forEach(skipped::put);
      ArrayNode failures = o.putArray("failures");
      for (CrawlFailure f : report.failures().subList(0, Math.min(MAX_FAILURES_SHOWN, report.failures().size()))) {
        failures.addObject().put("url", f.url()).put("message", f.message());
      }
    }
    if (job.error() != null) {
      o.put("error", job.error());
    }
    return o;
  }

  /** Stops a running crawl (the server is closing); its frontier keeps what it found. */
  @Override
  public void close() {
    CrawlJob job;
    synchronized (jobs) {
      job = running;
    }
    if (job != null) {
      job.stop();
      job.awaitEnd(Duration.ofSeconds(30));
    }
  }

  /** One crawl job: its latest progress while it runs, its report once ended. */
  static final class CrawlJob {
    final String id;
    final List<String> seeds;
    final Instant created = Instant.now();
    private final Crawler crawler;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
    private volatile CrawlProgress progress = new CrawlProgress(0, 0, 0, 0, 0, 0, 0, Duration.ZERO);
    private volatile CrawlReport report;
    private volatile String error;
    private volatile boolean stopRequested;

    CrawlJob(String id, List<String> seeds, Crawler crawler) {
      this.id = id;
      this.seeds = List.copyOf(seeds);
      this.crawler = crawler;
    }

    void progress(CrawlProgress p) {
      progress = p;
    }

    void done(CrawlReport r) {
      report = r;
      ended.countDown();
    }

    void failed(String message) {
      error = message;
      ended.countDown();
    }

    void stop() {
      stopRequested = true;
      crawler.stop();
    }

    void awaitEnd(Duration timeout) {
      try {
        ended.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    CrawlProgress progress() {
      return progress;
    }

    CrawlReport report() {
      return report;
    }

    String error() {
      return error;
    }

    String status() {
      if (error != null) {
        return "failed";
      }
      if (report == null) {
        return "running";
      }
      return stopRequested ? "stopped" : "completed";
    }
  }
}
