package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import dev.loupe.engine.Loupe;
import dev.loupe.protocol.ApiException;
import dev.loupe.server.http.ErrorEnvelopes;
import dev.loupe.server.ops.MetricsRoute;
import dev.loupe.server.ops.OpenApiRoute;
import dev.loupe.server.ops.UsageRoute;
import dev.loupe.server.http.Caller;
import dev.loupe.store.KeyStore;
import dev.loupe.telemetry.Ledger;
import java.time.Clock;
import dev.loupe.server.http.RequestBody;
import dev.loupe.server.http.TransportErrors;
import io.helidon.webserver.http1.Http1Config;
import dev.loupe.server.http.ErrorMapping;
import dev.loupe.server.http.RootService;
import dev.loupe.server.rest.CollectionRoutes;
import dev.loupe.server.rest.ImageRoutes;
import dev.loupe.server.mcp.McpRoute;
import dev.loupe.server.rest.CrawlJobRoutes;
import dev.loupe.server.rest.IngestJobRoutes;
import dev.loupe.server.rest.StatusRoutes;
import dev.loupe.server.web.WebRoutes;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP server of {@code loupe serve}: Loupe's REST routes ({@code /healthz}, {@code /v1/models},
 * {@code /v1/stats}, {@code /v1/images/...}), the web pages ({@code /}, {@code /playground}, {@code
 * /collection}, {@link WebRoutes}) plus the protocol services given to the constructor, on a Helidon
 * {@link WebServer} that runs every request on its own virtual thread.
 *
 * <pre>{@code
 * try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir))) {
 *   LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of());
 *   server.start();
 *   ... http://127.0.0.1:{server.port()}/v1/images/search ...
 *   server.stop();
 * }
 * }</pre>
 *
 * <p><b>Protocol services.</b> Each {@link HttpService} in {@code protocolServices} is mounted
 * under every prefix of {@link #RESPONSES_PREFIXES}, so its rules use paths relative to a base URL,
 * for example {@code post("/responses", ...)} and {@code get("/responses/{id}", ...)}. They run
 * behind the same request-id and bearer-auth filters and the same error mapping: throw {@link
 * ApiException} (or any exception) and the caller gets the OpenAI envelope. A {@link RootService}
 * (DashScope's native API, whose path {@code /api/v1/services/...} is no Responses prefix) is
 * registered once at the root instead, and its errors use the envelope it mounts
 * ({@link RootService#envelope()}).
 *
 * <p><b>Load.</b> {@link ServerLimits} caps connections and read and idle time, and admits the
 * CPU-heavy routes through {@link AdmissionGate} (429 or 503 with {@code Retry-After} beyond it);
 * {@code GET /readyz} reports whether another heavy request would be admitted.
 *
 * <p><b>Security.</b> Without API keys the server refuses to listen on anything but a loopback
 * address unless {@link ServerConfig#insecure()}. The engine is owned by the caller: {@link #stop()}
 * does not close it.
 */
public final class LoupeServer {
  /**
   * The base paths the Responses API is served under (contract 1.1): OpenAI's, DashScope
   * workspace hosts', and DashScope shared hosts'.
   */
  public static final List<String> RESPONSES_PREFIXES =
      List.of("/v1", "/compatible-mode/v1", "/api/v2/apps/protocols/compatible-mode/v1");

  private final ServerConfig config;
  private final ServerLimits limits;
  private final AdmissionGate gate;
  private final CrawlJobRoutes crawls;
  private final McpRoute mcp;
  private final KeyStore keys;
  private final WebServer server;
  private static final System.Logger LOG = System.getLogger(LoupeServer.class.getName());

  /**
   * Builds the server without starting it.
   *
   * @param protocolServices services mounted under each of {@link #RESPONSES_PREFIXES}
   * @throws IllegalStateException if the host is not loopback, there are no API keys and the
   *     config is not {@code insecure}
   */
  public LoupeServer(ServerConfig config, Loupe loupe, List<? extends HttpService> protocolServices) {
    this(config, loupe, protocolServices, List.of(StatusRoutes.MODEL_ID));
  }

  /**
   * Builds the server without starting it.
   *
   * @param protocolServices services mounted under each of {@link #RESPONSES_PREFIXES}, or once at
   *     the root for a {@link RootService}
   * @param modelIds what {@code GET /v1/models} lists, for example {@link
   *     dev.loupe.runs.routing.ModelRoutes#listedModels()}
   * @throws IllegalStateException if the host is not loopback, there are no API keys and the
   *     config is not {@code insecure}
   */
  public LoupeServer(ServerConfig config, Loupe loupe, List<? extends HttpService> protocolServices,
      List<String> modelIds) {
    this(config, ServerLimits.defaults(), loupe, protocolServices, modelIds);
  }

  /**
   * Builds the server without starting it, with explicit load limits (connections, timeouts,
   * admission of heavy routes; see {@link ServerLimits}).
   */
  public LoupeServer(ServerConfig config, ServerLimits limits, Loupe loupe,
      List<? extends HttpService> protocolServices, List<String> modelIds) {
    this.config = Objects.requireNonNull(config, "config");
    this.limits = Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(loupe, "loupe");
    try {
      this.keys = KeyStore.open(loupe.config().dataDir());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    boolean storedKeys;
    try {
      storedKeys = !keys.isEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (config.apiKeys().isEmpty() && !storedKeys && !config.insecure() && !isLoopback(config.host())) {
      try {
        keys.close();
      } catch (java.io.IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot close the key store", e);
      }
      throw new IllegalStateException("Refusing to listen on " + config.host() + " without API keys: anyone who"
          + " can reach it could search, add and delete images. Add a key with loupe keys add NAME, set "
          + ApiKeys.ENV + " or give a keys file, listen on 127.0.0.1, or accept the risk with --insecure.");
    }
    // Each protocol's error envelope is mounted with its routes, below; the filter runs first so
    // that every refusal, authentication's and admission's included, is written in it.
    ErrorEnvelopes envelopes = new ErrorEnvelopes();
    HttpRouting.Builder routing = HttpRouting.builder()
        // First, so that every answer is counted, refusals included.
        .addFilter(MetricsRoute.requests())
        .addFilter(new RequestIdFilter()).addFilter(envelopes)
        // A body that stops arriving ends its request (408) and closes the connection.
        .addFilter(RequestBody.readTimeout(limits.readTimeout()));
    // Always mounted: keys added with loupe keys while the server runs take effect at once.
    routing.addFilter(new BearerAuthFilter(config.apiKeys(), keys, Clock.systemUTC()));
    // After authentication: a caller without a key never takes a slot.
    this.gate = new AdmissionGate(limits);
    routing.addFilter(gate);
    // After admission, so that it is bound on the thread that runs the request: the caller's ledger.
    routing.addFilter((chain, request, response) -> {
      String caller = Caller.of(request).name();
      ScopedValue.where(Ledger.ACCOUNT, (searchCalls, searches, input, output, added) -> {
        try {
          keys.record(caller, new KeyStore.Usage(searchCalls, searches, input, output, added));
        } catch (java.io.IOException e) {
          LOG.log(System.Logger.Level.WARNING, "cannot record usage of " + caller, e);
        }
      }).run(chain::proceed);
    });
    this.crawls = new CrawlJobRoutes(loupe, config);
    this.mcp = new McpRoute(loupe, config.publicBaseUrl(), config.maxRequestBytes(), version(), true);
    routing.error(Exception.class, ErrorMapping::send);
    routing.register(new StatusRoutes(loupe, modelIds), new ReadinessRoute(loupe, gate),
        new CollectionRoutes(loupe, config), new ImageRoutes(loupe, config), new IngestJobRoutes(loupe, config),
        crawls, mcp, new MetricsRoute(loupe), new OpenApiRoute(), new UsageRoute(keys), new WebRoutes());
    for (HttpService service : protocolServices) {
      if (service instanceof RootService root) {
        routing.register(service);
        envelopes.mount(root.root(), root.envelope());
        continue;
      }
      for (String prefix : RESPONSES_PREFIXES) {
        routing.register(prefix, service);
      }
    }
    routing.any((request, response) -> {
      throw ApiException.notFound("Unknown route: " + request.prologue().method().text() + " "
          + request.path().path());
    });
    this.server = WebServer.builder()
        .name("loupe-http")
        .host(config.host())
        .port(config.port())
        // The caller owns shutdown order: stop the server, then close the engine.
        .shutdownHook(false)
        // Server-sent events are small writes that must leave at once: with Nagle's algorithm on,
        // the first event after the headers waited for the client's delayed ACK (about 40 ms).
        .connectionOptions(options -> options.tcpNoDelay(true))
        // Beyond this many connections new ones wait in the backlog: clients cannot use up the
        // process's file descriptors, which would stop the accept loop (ListenerWatchdog).
        .maxTcpConnections(limits.maxConnections())
        .idleConnectionTimeout(limits.idleTimeout())
        .idleConnectionPeriod(idlePeriod(limits.idleTimeout()))
        // What the listener refuses before routing (a request line too long, bad headers) comes
        // in the route's envelope as well.
        .directHandlers(new TransportErrors(envelopes).handlers())
        .addProtocol(Http1Config.builder().maxPrologueLength(TransportErrors.MAX_REQUEST_LINE).build())
        .routing(routing)
        .build();
  }

  /**
   * Starts listening; returns once the port is bound.
   *
   * @throws IllegalStateException if the address cannot be bound (port in use, not permitted), with
   *     the operating system's reason: Helidon logs the failure but leaves the server not running
   */
  public LoupeServer start() {
    try {
      server.start();
    } catch (RuntimeException e) {
      stop();
      throw cannotListen(e);
    }
    if (!server.isRunning() || server.port() < 0) {
      stop();
      throw cannotListen(null);
    }
    return this;
  }

  private IllegalStateException cannotListen(RuntimeException failure) {
    String reason = ListenerWatchdog.bindFailure(config.host(), config.port());
    if (reason == null && failure != null) {
      reason = failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage();
    }
    return new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
        + (reason == null ? "the listener did not start (see the log)" : reason), failure);
  }

  /** Idle connections are looked for a few times per timeout, at most every 5 s. */
  private static Duration idlePeriod(Duration idleTimeout) {
    Duration quarter = idleTimeout.dividedBy(4);
    Duration min = Duration.ofMillis(100);
    return quarter.compareTo(min) < 0 ? min : quarter.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : quarter;
  }

  /** The load limits this server runs with. */
  public ServerLimits limits() {
    return limits;
  }

  /** The bound port (the actual one when the config asked for 0); -1 before {@link #start()}. */
  public int port() {
    return server.port();
  }

  /** The configuration this server runs with. */
  public ServerConfig config() {
    return config;
  }

  /**
   * Stops listening and waits for requests in flight, and stops a running crawl job (its frontier
   * keeps what it found); idempotent. Does not close the engine.
   */
  public void stop() {
    crawls.close();
    mcp.close();
    if (server.isRunning()) {
      server.stop();
    }
    gate.close();
    try {
      keys.close();
    } catch (java.io.IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot close the key store", e);
    }
  }

  /** The version the MCP server announces: the build's ({@code version.properties}). */
  private static String version() {
    try (var in = LoupeServer.class.getResourceAsStream("version.properties")) {
      var properties = new java.util.Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static boolean isLoopback(String host) {
    if ("localhost".equalsIgnoreCase(host)) {
      return true;
    }
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
