package dev.loupe.app;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.fetch.FetchPolicy.UrlMirror;
import dev.loupe.image.PixelBudget;
import dev.loupe.runs.routing.ModelRoute;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.runs.upstream.UpstreamModel;
import dev.loupe.server.ApiKeys;
import dev.loupe.store.KeyStore;
import dev.loupe.server.ListenerWatchdog;
import dev.loupe.server.LoupeServer;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.server.ServerLimits;
import dev.loupe.server.chat.ChatCompletionsRoutes;
import dev.loupe.server.dashscope.DashScopeRoutes;
import dev.loupe.server.responses.ResponsesRoutes;
import dev.loupe.store.ResponseRetention;
import java.util.concurrent.atomic.AtomicReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe serve}: the HTTP server, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serve the index over HTTP: search REST, Responses, Chat Completions, DashScope, web pages.",
    description = {
      "Serve the index over HTTP until interrupted. Route groups:",
      "  search REST  POST /v1/images/search; POST /v1/images (add); GET /v1/images",
      "               (list); GET, DELETE /v1/images/{id};",
      "               GET /v1/images/{id}/thumbnail and /v1/images/{id}/content",
      "  Responses    POST /v1/responses (image_search tool); GET, DELETE",
      "               /v1/responses/{id}; GET /v1/responses/{id}/input_items",
      "               (also under /compatible-mode/v1)",
      "  Chat         POST /v1/chat/completions (also under /compatible-mode/v1;",
      "               images need an upstream model unless image_search is offered)",
      "  DashScope    POST /api/v1/services/aigc/multimodal-generation/generation,",
      "               POST /api/v1/uploads",
      "  ingest jobs  POST /v1/ingest (URLs fetched in the background),",
      "               GET /v1/ingest/{id}",
      "  crawl jobs   POST /v1/crawls (sites crawled in the background),",
      "               GET and DELETE /v1/crawls/{id}",
      "  MCP          POST /mcp (Model Context Protocol, streamable HTTP, stateless)",
      "  status       GET /healthz (no key), GET /readyz (no key), GET /v1/models,",
      "               GET /v1/stats",
      "  operators    GET /metrics (Prometheus), GET /openapi.json, GET /v1/usage",
      "  web pages    GET /, /playground, /collection, /assets/* (no key)",
      "  local        POST /v1/local/commands: loupe index, search, stats, delete,",
      "               list, export on the same data directory run here (found",
      "               through DIR/server.json; owner token only)",
      "API keys come from `loupe keys add`, $LOUPE_API_KEYS (comma-separated) and",
      "--api-keys-file; without keys only loopback addresses are allowed unless --insecure.",
      "Model names go to the builtin model unless --models FILE ($LOUPE_MODELS) or $LOUPE_UPSTREAM_URL",
      "(with $LOUPE_UPSTREAM_KEY, $LOUPE_UPSTREAM_MODELS) route them to an OpenAI-compatible server."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;
  @Mixin ModelOption model;

  @Mixin LoadLimitOptions load;

  @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host = ServerConfig.DEFAULT_HOST;

  @Option(names = "--port", paramLabel = "PORT", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(names = "--api-keys-file", paramLabel = "FILE", description = "File with one API key a line.")
  Path apiKeysFile;

  @Option(names = "--insecure", description = "Allow listening on a non-loopback address without API keys.")
  boolean insecure;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "Base URL clients reach the server at, for links in responses (default: relative links; never the Host header).")
  String publicUrl;

  @Option(names = "--mirror", paramLabel = "PREFIX=REPLACEMENT",
      description = {"Fetch image URLs that start with PREFIX from REPLACEMENT instead, for servers without",
          "Internet access that keep copies of public images (repeatable, the first match wins), e.g.",
          "--mirror https://img.example.com/=http://10.0.0.5:8080/img/. The rewritten URL is still",
          "checked: a mirror on a private address needs --allow-private-addresses."})
  List<String> mirrors = new ArrayList<>();

  @Option(names = "--models", paramLabel = "FILE",
      description = "JSON file of model routes: which model names go to the builtin model and which to an"
          + " OpenAI-compatible upstream (default: $LOUPE_MODELS; see the README).")
  Path modelsFile;

  @Option(names = "--responses-max-age-days", paramLabel = "DAYS",
      description = "Delete stored responses older than this (default: 30).")
  Long responsesMaxAgeDays;

  @Option(names = "--responses-max-mib", paramLabel = "MIB",
      description = "Delete the oldest stored responses beyond this size, images included (default: 1024).")
  Long responsesMaxMib;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig config;
    LoupeConfig engineConfig = data.config();
    ModelRoutes models;
    ServerLimits limits;
    ResponseRetention retention;
    try {
      limits = load.limits();
      retention = retention();
      PixelBudget budget = load.pixelBudget();
      if (budget != null) {
        PixelBudget.setProcess(budget);
      }
      Set<String> keys = ApiKeys.load(System.getenv(), apiKeysFile);
      config = new ServerConfig(host, port, keys, insecure, ServerConfig.DEFAULT_MAX_REQUEST_BYTES, publicUrl);
      if (!mirrors.isEmpty()) {
        engineConfig = engineConfig.withFetchPolicy(engineConfig.fetchPolicy()
            .withMirrors(mirrors.stream().map(UrlMirror::parse).toList()));
      }
      models = RoutesConfig.load(modelsFile, System.getenv());
    } catch (IllegalArgumentException | IOException e) {
      err.println("loupe serve: " + Messages.describe(e));
      return 2;
    }
    return serve(Loupe.open(engineConfig, model.dir()), models, config, limits, retention, out, err);
  }

  private ResponseRetention retention() {
    ResponseRetention defaults = ResponseRetention.defaults();
    if (responsesMaxMib != null && responsesMaxMib > Long.MAX_VALUE >> 20) {
      throw new IllegalArgumentException("--responses-max-mib is too large: " + responsesMaxMib);
    }
    return new ResponseRetention(
        responsesMaxAgeDays != null ? Duration.ofDays(Math.min(responsesMaxAgeDays, 1L << 40)) : defaults.maxAge(),
        responsesMaxMib != null ? responsesMaxMib << 20 : defaults.maxBytes());
  }

  /** Serves {@code loupe} with the builtin model answering every model name. */
  static int serve(Loupe loupe, ServerConfig config, PrintWriter out, PrintWriter err) throws Exception {
    return serve(loupe, ModelRoutes.builtinOnly(), config, out, err);
  }

  /**
   * Serves {@code loupe} until the process is interrupted, then stops the server and closes the
   * engine and the models (this method owns them from now on). Returns the exit code.
   */
  static int serve(Loupe loupe, ModelRoutes models, ServerConfig config, PrintWriter out, PrintWriter err)
      throws Exception {
    return serve(loupe, models, config, ServerLimits.defaults(), out, err);
  }

  /** As above, with explicit load limits. */
  static int serve(Loupe loupe, ModelRoutes models, ServerConfig config, ServerLimits limits, PrintWriter out,
      PrintWriter err) throws Exception {
    return serve(loupe, models, config, limits, ResponseRetention.defaults(), out, err);
  }

  /** As above, with explicit retention of stored responses. */
  static int serve(Loupe loupe, ModelRoutes models, ServerConfig config, ServerLimits limits,
      ResponseRetention retention, PrintWriter out, PrintWriter err) throws Exception {
    // Other loupe commands on this data directory run here, found through its server file.
    String ownerToken = java.util.HexFormat.of().formatHex(randomBytes());
    if (!config.apiKeys().isEmpty()) {
      Set<String> keys = new java.util.HashSet<>(config.apiKeys());
      keys.add(ownerToken);
      config = config.withApiKeys(keys);
    }
    SharedEngine.serve(loupe);
    // Links to locally indexed images need the address, known once the server listens.
    AtomicReference<String> baseUrl = new AtomicReference<>(config.publicBaseUrl());
    ResponsesRoutes responses = ResponsesRoutes.forEngine(loupe, models, baseUrl::get, config.maxRequestBytes(),
        retention);
    ChatCompletionsRoutes chat = ChatCompletionsRoutes.forEngine(loupe, models, baseUrl::get, config.maxRequestBytes());
    DashScopeRoutes dashscope = DashScopeRoutes.forEngine(loupe, models, baseUrl::get, config.maxRequestBytes());
    LoupeServer server;
    try {
      server = new LoupeServer(config, limits, loupe,
          List.of(responses, chat, dashscope, new CommandService(ownerToken)), models.listedModels()).start();
    } catch (RuntimeException e) {
      responses.close();
      models.close();
      loupe.close();
      err.println("loupe serve: " + e.getMessage());
      return 1;
    }
    String host = config.host();
    String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
    ServerFile serverFile = new ServerFile(base, ProcessHandle.current().pid(), ownerToken);
    serverFile.write(loupe.config().dataDir());
    // A listener that died (accept failures) must not leave a live process that answers nothing.
    ListenerWatchdog watchdog = ListenerWatchdog.start(host, server.port(), Duration.ofSeconds(2), () -> {
      err.println("loupe serve: the listener on " + host + ":" + server.port()
          + " stopped accepting connections (see the log); exiting");
      err.flush();
      Runtime.getRuntime().exit(3);
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("loupe-shutdown").unstarted(() -> {
      // Stop taking requests first, then close the index so that its last commit is clean.
      watchdog.close();
      serverFile.remove(loupe.config().dataDir());
      server.stop();
      try {
        responses.close();
        models.close();
        loupe.close();
      } catch (Exception e) {
        err.println("loupe serve: closing the index: " + e.getMessage());
        err.flush();
      } finally {
        stopped.countDown();
      }
    }));
    baseUrl.compareAndSet(null, base);
    String auth = config.apiKeys().isEmpty() && !hasStoredKeys(loupe) ? "" : "-H \"Authorization: Bearer $KEY\" ";
    out.println("Loupe is listening on " + base + " (" + loupe.index().stats().images() + " images; Ctrl-C stops)");
    if (models.routes().stream().anyMatch(r -> r.backend() instanceof UpstreamModel)) {
      models.routes().forEach(r -> out.println("  model " + r.pattern() + " -> " + describe(r)));
    }
    out.println("Search by image:");
    out.println("  curl -s " + auth + "-F file=@" + demoQuery() + " -F top_k=5 " + base + "/v1/images/search");
    out.println("Ask a model with the image_search tool (the Responses API):");
    // The body goes through stdin: a photo's Base64 is longer than a shell allows in one argument.
    out.println("  (printf '{\"model\": \"builtin\", \"tools\": [{\"type\": \"image_search\"}], \"input\": [{\"role\": \"user\", "
        + "\"content\": [{\"type\": \"input_text\", \"text\": \"Where else does this picture appear?\"}, "
        + "{\"type\": \"input_image\", \"image_url\": \"data:image/jpeg;base64,'; base64 -w0 " + demoQuery()
        + "; printf '\"}]}]}') | curl -s " + base + "/v1/responses " + auth + "-H 'Content-Type: application/json' -d @-");
    out.flush();
    stopped.await();
    return 0;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[24];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String describe(ModelRoute route) {
    return route.backend() instanceof UpstreamModel upstream
        ? route.kind() + " " + upstream.config().baseUrl()
            + (upstream.config().upstreamModel() == null ? "" : " as " + upstream.config().upstreamModel())
        : route.kind();
  }

  /** A demo query image to show in the example, or a placeholder name. */
  private static String demoQuery() {
    Path queries = DemoCommand.defaultDemoDir().resolve("queries");
    try (Stream<Path> files = Files.list(queries)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().findFirst()
          .map(Path::toString).orElse("photo.jpg");
    } catch (IOException e) {
      return "photo.jpg";
    }
  }

  /** Whether {@code loupe keys add} made a key for this data directory: the examples then need one too. */
  private static boolean hasStoredKeys(Loupe loupe) {
    try (KeyStore keys = KeyStore.open(loupe.config().dataDir())) {
      return !keys.isEmpty();
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
