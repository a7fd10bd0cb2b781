package dev.loupe.runs.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.BackendFailed;
import dev.loupe.runs.Capabilities;
import dev.loupe.runs.FailureKind;
import dev.loupe.runs.Finish;
import dev.loupe.runs.FunctionCall;
import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.Passthrough;
import dev.loupe.runs.RunContext;
import dev.loupe.runs.RunEvent;
import dev.loupe.runs.RunRequest;
import dev.loupe.runs.TokenCounter;
import dev.loupe.runs.ToolChoice;
import dev.loupe.runs.Usage;
import dev.loupe.search.SearchRequest;
import dev.loupe.telemetry.Metrics;
import dev.loupe.tools.ImageSearchArguments;
import dev.loupe.tools.ImageSearchResult;
import dev.loupe.tools.ImageSearchTool;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model served by an OpenAI-compatible {@code /chat/completions} endpoint (vLLM, SGLang, Ollama,
 * llama.cpp's server, a hosted API), with {@code image_search} offered to it as a function tool.
 *
 * <pre>{@code
 * try (UpstreamModel qwen = new UpstreamModel(UpstreamConfig.of(URI.create("http://127.0.0.1:8000/v1"), null)
 *     .withUpstreamModel("Qwen/Qwen2.5-VL-7B-Instruct"))) {
 *   ResponsesService service = new ResponsesService(ModelCatalog.serving(qwen), tool, store, config, clock);
 * }
 * }</pre>
 *
 * <p><b>A turn.</b> Each round streams one chat completion ({@code "stream": true}, with {@code
 * stream_options.include_usage}); its text deltas go out as {@link RunEvent.TextDelta}s as they
 * arrive. When the model calls {@code image_search}, the call runs through the {@link RunContext}
 * (so the Responses output shows an {@code image_search_call} item, exactly as with the builtin
 * model) and its hits go back as a {@code role: tool} message holding the tool's JSON output; then
 * the next round starts. The turn ends when a round calls no tool, or after {@link
 * UpstreamConfig#maxRounds()} rounds, the last of which offers no tools. {@code tool_choice: none},
 * {@code max_tool_calls: 0} or a request without the tool declare no tools at all; {@code required}
 * is sent in the first round only, since every round would otherwise have to call a tool. A call
 * the model gets wrong (bad JSON, an image number that does not exist, an unknown function) is
 * answered with {@code {"error": "..."}} as its result, so the model can correct itself; it is
 * not shown as a search.
 *
 * <p><b>Usage</b> is the sum over rounds of the upstream's {@code prompt_tokens} (input) and
 * {@code completion_tokens} (output), with their cached and reasoning details, plus the tool count.
 * A server that reports none gets an estimate with {@link TokenCounter}. {@code reasoning_content}
 * deltas go out as {@link RunEvent.ReasoningDelta}s (Chat Completions and DashScope show them; the
 * Responses output has no reasoning items yet), and their tokens count as the server reports them.
 *
 * <p><b>A client's own body.</b> A request with a {@link Passthrough} is sent upstream as it
 * stands (the client's functions, sampling and thinking fields) and answered as events: the text,
 * the reasoning, and each call of a client function as {@link RunEvent.FunctionCallRequested}.
 *
 * <p><b>Failures</b> throw {@link BackendFailed}: an unreachable or refusing upstream is 502 {@code
 * upstream_unavailable}, silence beyond {@link UpstreamConfig#timeout()} 504 {@code
 * upstream_timeout}, an HTTP error or a broken stream 502 {@code upstream_error} with the upstream's
 * own message. 429 and 5xx answers are retried {@link UpstreamConfig#maxRetries()} times first,
 * with a doubling backoff. Messages name the upstream's host and never the key.
 *
 * <p>Thread-safe: one instance serves concurrent turns, each on its caller's (virtual) thread, which
 * blocks on the upstream. Close it to release its HTTP client and watchdog thread.
 */
public final class UpstreamModel implements ModelBackend, AutoCloseable {
  /** Results a call asks for when the model does not say, as the builtin model does. */
  static final int DEFAULT_RESULTS = 10;
  /** Most bytes of an error body read, for its message. */
  private static final int MAX_ERROR_BYTES = 64 << 10;
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final UpstreamConfig config;
  private final ExecutorService httpThreads;
  private final HttpClient client;
  private final ScheduledExecutorService watchdog;

  public UpstreamModel(UpstreamConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.httpThreads = Executors.newCachedThreadPool(r -> daemon(r,
        "loupe-upstream-" + instance + "-http-" + threads.incrementAndGet()));
    this.client = HttpClient.newBuilder()
        .executor(httpThreads)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "loupe-upstream-" + instance + "-watchdog"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The settings this model runs with. */
  public UpstreamConfig config() {
    return config;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.VISION_MODEL;
  }

  @Override
  public Finish run(RunRequest request, RunContext context) throws Exception {
    if (request.passthrough() != null) {
      return passThrough(request.passthrough(), request.model(), context);
    }
    ChatConversation conversation = ChatConversation.of(request);
    String model = config.upstreamModel() != null ? config.upstreamModel() : request.model();
    Usage usage = new Usage(0, 0, 0, 0, Map.of());
    int searches = 0;
    for (int round = 1; ; round++) {
      boolean offerTools = request.imageSearchAllowed() && round < config.maxRounds()
          && (request.maxToolCalls() == null || searches < request.maxToolCalls());
      Integer budget = request.maxOutputTokens() == null ? null : request.maxOutputTokens() - usage.outputTokens();
      ObjectNode body = NODES.objectNode().put("model", model);
      body.set("messages", conversation.messages().deepCopy());
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
      if (offerTools) {
        body.putArray("tools").add(toolDefinition());
        body.put("tool_choice", request.toolChoice() == ToolChoice.REQUIRED && searches == 0 ? "required" : "auto");
      }
      if (budget != null) {
        body.put("max_tokens", Math.max(1, budget));
      }
      MessageWriter writer = new MessageWriter(context);
      ChatRound result = complete(body, writer::append, r -> context.emit(new RunEvent.ReasoningDelta(r)), false);
      usage = usage.plus(usage(result, conversation));
      boolean truncated = result.finishReason().equals("length");
      boolean budgetSpent = request.maxOutputTokens() != null && usage.outputTokens() >= request.maxOutputTokens();
      if (result.toolCalls().isEmpty() || !offerTools || truncated || budgetSpent) {
        // The answer. Calls the model made although no tools were offered are not run.
        writer.finish(truncated || budgetSpent);
        context.emit(new RunEvent.UsageReported(searches == 0 ? usage
            : usage.plus(new Usage(0, 0, 0, 0, Map.of(ImageSearchTool.NAME, searches)))));
        return truncated || budgetSpent ? Finish.MAX_OUTPUT_TOKENS : Finish.COMPLETED;
      }
      writer.finishIfStarted();
      var calls = new java.util.ArrayList<ChatToolCall>();
      for (ChatToolCall call : result.toolCalls()) {
        // Answers must name the call they answer; a server that sent no id gets one made up.
        calls.add(call.id() == null ? new ChatToolCall(context.newId("call"), call.name(), call.arguments()) : call);
      }
      conversation.addAssistant(result.text(), calls);
      for (ChatToolCall call : calls) {
        String answer;
        if (request.maxToolCalls() != null && searches >= request.maxToolCalls()) {
          answer = error("max_tool_calls (" + request.maxToolCalls() + ") reached; answer with what you have");
        } else {
          ImageSearchArguments arguments;
          try {
            arguments = arguments(call, conversation);
          } catch (IllegalArgumentException e) {
            conversation.addToolResult(call.id(), error(e.getMessage()));
            continue;
          }
          String id = context.newId("isc");
          context.emit(new RunEvent.ToolCallStarted(id, ImageSearchTool.NAME));
          context.emit(new RunEvent.ToolCallSearching(id));
          ImageSearchResult hits = context.imageSearch().run(arguments);
          context.emit(new RunEvent.ToolCallCompleted(id, hits));
          searches++;
          answer = hits.output();
        }
        conversation.addToolResult(call.id(), answer);
      }
    }
  }

  /** The {@code image_search} function as declared upstream. */
  static ObjectNode toolDefinition() {
    ObjectNode tool = NODES.objectNode().put("type", "function");
    ObjectNode function = tool.putObject("function").put("name", ImageSearchTool.NAME)
        .put("description", "Search Loupe's image index for copies of an input image (exact, resized, "
            + "cropped, recoloured, mirrored) and for similar images. Returns a JSON list of hits, best first, "
            + "each with index, title, url, page_url, score (0 to 1), match (exact, near_duplicate, partial, "
            + "similar), first_seen, last_seen, occurrences (how many places it was seen), other_occurrences "
            + "(some of those places) and, for verified copies, differences (changes: how the copy differs from "
            + "the input, e.g. cropped, rotated, mirrored).");
    ObjectNode parameters = function.putObject("parameters").put("type", "object");
    ObjectNode properties = parameters.putObject("properties");
    properties.putObject("image_index").put("type", "integer").put("description", "which input image, 1-based");
    properties.putObject("query").put("type", "string")
        .put("description", "optional: what the user wants to know about the image");
    properties.putObject("max_results").put("type", "integer").put("minimum", 1).put("maximum", SearchRequest.MAX_TOP_K);
    parameters.putArray("required").add("image_index");
    return tool;
  }

  /** The call's arguments, checked; the message of the exception goes back to the model. */
  static ImageSearchArguments arguments(ChatToolCall call, ChatConversation conversation) {
    if (!call.name().equals(ImageSearchTool.NAME)) {
      throw new IllegalArgumentException("unknown function '" + call.name() + "'; the only tool is "
          + ImageSearchTool.NAME);
    }
    JsonNode args;
    try {
      args = call.arguments().isBlank() ? NODES.objectNode() : JSON.readTree(call.arguments());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("arguments are not JSON: " + e.getOriginalMessage());
    }
    if (!args.isObject()) {
      throw new IllegalArgumentException("arguments must be a JSON object, got: " + call.arguments());
    }
    var images = conversation.images();
    if (images.isEmpty()) {
      throw new IllegalArgumentException("there is no input image to search; ask the user for one");
    }
    JsonNode index = args.path("image_index");
    int i;
    if (index.isMissingNode() || index.isNull()) {
      if (images.size() > 1) {
        throw new IllegalArgumentException("image_index is required: there are " + images.size() + " input images");
      }
      i = 1;
    } else if (index.canConvertToInt() && index.isIntegralNumber()
        || index.isTextual() && index.asText().strip().matches("\\d{1,9}")) {
      i = index.isTextual() ? Integer.parseInt(index.asText().strip()) : index.asInt();
    } else {
      throw new IllegalArgumentException("image_index must be an integer, got: " + index);
    }
    if (i < 1 || i > images.size()) {
      throw new IllegalArgumentException("image_index must be between 1 and " + images.size() + ", got: " + i);
    }
    int count = DEFAULT_RESULTS;
    JsonNode max = args.path("max_results");
    if (max.canConvertToInt() && max.isNumber()) {
      count = Math.clamp(max.asInt(), 1, SearchRequest.MAX_TOP_K);
    }
    String query = args.path("query").isTextual() && !args.get("query").asText().isBlank()
        ? args.get("query").asText() : conversation.userText().isEmpty() ? null : conversation.userText();
    return ImageSearchArguments.ofUrl(images.get(i - 1), query, count);
  }

  private static String error(String message) {
    return NODES.objectNode().put("error", message).toString();
  }

  private static Usage usage(ChatRound round, ChatConversation conversation) {
    ChatUsage u = round.usage();
    if (u == null) {
      int output = TokenCounter.count(round.text());
      for (ChatToolCall call : round.toolCalls()) {
        output += TokenCounter.count(call.name()) + TokenCounter.count(call.arguments());
      }
      return new Usage(conversation.estimateTokens(), 0, output, 0, Map.of());
    }
    return new Usage(u.promptTokens(), u.cachedTokens(), u.completionTokens(), u.reasoningTokens(), Map.of());
  }

  /**
   * Answers a client's own chat body as it stands, with the same retries, timeouts and error
   * mapping as a turn: each {@code content} and {@code reasoning_content} delta goes out as it
   * arrives, then the model's calls of the client's functions, then the usage. No tools run here.
   *
   * <p>When the upstream falls silent for longer than {@link UpstreamConfig#timeout()} after it has
   * written something, what it wrote is the answer and the turn ends {@link Finish#UPSTREAM_SILENT},
   * as the hosted service returns a timed-out generation (seed 003, "timeout handling"); silence
   * before anything arrived is still {@link FailureKind#UPSTREAM_TIMEOUT}.
   */
  private Finish passThrough(Passthrough passthrough, String requested, RunContext context)
      throws BackendFailed, InterruptedException {
    ObjectNode body = passthrough.body();
    body.put("model", config.upstreamModel() != null ? config.upstreamModel() : requested);
    body.put("stream", true); // the upstream always streams; a non-streaming client gets the fold
    body.putObject("stream_options").put("include_usage", true);
    MessageWriter writer = new MessageWriter(context);
    ChatRound round = complete(body, writer::append, r -> context.emit(new RunEvent.ReasoningDelta(r)), true);
    writer.finishIfStarted();
    for (ChatToolCall call : round.toolCalls()) {
      String id = call.id() == null ? context.newId("call") : call.id();
      context.emit(new RunEvent.FunctionCallRequested(new FunctionCall(id, call.name(), call.arguments())));
    }
    ChatUsage u = round.usage();
    context.emit(new RunEvent.UsageReported(u != null
        ? new Usage(u.promptTokens(), u.cachedTokens(), u.completionTokens(), u.reasoningTokens(), Map.of())
        : new Usage(passthrough.promptTokens(), 0, TokenCounter.count(round.text()) + TokenCounter.count(round.reasoning()),
            TokenCounter.count(round.reasoning()), Map.of())));
    if (round.partial()) {
      return Finish.UPSTREAM_SILENT;
    }
    return switch (round.finishReason()) {
      case "length" -> Finish.MAX_OUTPUT_TOKENS;
      case "content_filter" -> Finish.CONTENT_FILTER;
      default -> Finish.COMPLETED; // stop, tool_calls (told by the calls themselves) or a server's own word
    };
  }

  /**
   * Sends one completion request, with retries, and reads its stream.
   *
   * @param partialOnSilence whether silence after some output returns that output instead of failing
   */
  private ChatRound complete(ObjectNode body, java.util.function.Consumer<String> onText,
      java.util.function.Consumer<String> onReasoning, boolean partialOnSilence)
      throws BackendFailed, InterruptedException {
    try {
      ChatRound round = send(body, onText, onReasoning, partialOnSilence);
      Metrics.upstreamCall("ok");
      return round;
    } catch (BackendFailed e) {
      Metrics.upstreamCall(e.code());
      throw e;
    }
  }

  private ChatRound send(ObjectNode body, java.util.function.Consumer<String> onText,
      java.util.function.Consumer<String> onReasoning, boolean partialOnSilence)
      throws BackendFailed, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(config.chatCompletions())
        .timeout(config.timeout())
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (config.apiKey() != null) {
      builder.header("Authorization", "Bearer " + config.apiKey());
    }
    HttpRequest request = builder.build();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpConnectTimeoutException e) {
        throw timeout("accept a connection", config.connectTimeout(), e);
      } catch (HttpTimeoutException e) {
        throw timeout("answer", config.timeout(), e);
      } catch (ConnectException e) {
        throw new BackendFailed(FailureKind.UPSTREAM_UNAVAILABLE, "The model upstream at " + config.host()
            + " cannot be reached: " + reason(e), e);
      } catch (IOException e) {
        throw new BackendFailed(FailureKind.UPSTREAM_UNAVAILABLE, "The model upstream at " + config.host()
            + " failed: " + reason(e), e);
      }
      int status = response.statusCode();
      if (status == 200) {
        return read(response.body(), onText, onReasoning, partialOnSilence);
      }
      String message = errorMessage(response.body());
      if ((status == 429 || status >= 500) && attempt < config.maxRetries()) {
        Thread.sleep(retryDelay(response, attempt).toMillis());
        continue;
      }
      throw new BackendFailed(FailureKind.UPSTREAM_ERROR, "The model upstream at " + config.host() + " answered HTTP "
          + status + (message.isEmpty() ? "" : ": " + message), null);
    }
  }

  /** Reads the stream, closing it when it stays silent longer than the timeout. */
  private ChatRound read(InputStream body, java.util.function.Consumer<String> onText,
      java.util.function.Consumer<String> onReasoning, boolean partialOnSilence) throws BackendFailed {
    long limit = config.timeout().toNanos();
    AtomicLong lastRead = new AtomicLong(System.nanoTime());
    AtomicBoolean silent = new AtomicBoolean();
    long period = Math.max(10, config.timeout().toMillis() / 4);
    ScheduledFuture<?> check = watchdog.scheduleWithFixedDelay(() -> {
      if (System.nanoTime() - lastRead.get() > limit && silent.compareAndSet(false, true)) {
        try {
          body.close(); // unblocks the reading thread, whose read then fails
        } catch (IOException ignored) {
          // closing a dead stream can fail; the reader fails either way
        }
      }
    }, period, period, TimeUnit.MILLISECONDS);
    ChatStreamReader reader = new ChatStreamReader(onText, onReasoning, () -> lastRead.set(System.nanoTime()));
    try (body) {
      return reader.read(body);
    } catch (UpstreamStreamException e) {
      throw new BackendFailed(FailureKind.UPSTREAM_ERROR, "The model upstream at " + config.host() + " sent a bad stream: "
          + e.getMessage(), e);
    } catch (IOException e) {
      if (silent.get() && partialOnSilence && reader.produced()) {
        return reader.partial();
      }
      if (silent.get()) {
        throw timeout("send the next part of its answer", config.timeout(), e);
      }
      throw new BackendFailed(FailureKind.UPSTREAM_UNAVAILABLE, "The model upstream at " + config.host()
          + " broke off its answer: " + reason(e), e);
    } finally {
      check.cancel(false);
    }
  }

  private BackendFailed timeout(String what, Duration limit, Exception cause) {
    return new BackendFailed(FailureKind.UPSTREAM_TIMEOUT, "The model upstream at " + config.host() + " did not "
        + what + " within " + describe(limit) + ".", cause);
  }

  private Duration retryDelay(HttpResponse<?> response, int attempt) {
    Duration backoff = config.retryBackoff().multipliedBy(1L << attempt);
    var header = response.headers().firstValue("retry-after");
    if (header.isPresent() && header.get().strip().matches("\\d{1,6}")) {
      Duration asked = Duration.ofSeconds(Long.parseLong(header.get().strip()));
      return asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
    }
    return backoff;
  }

  /** The upstream's own error message: {@code error.message}, {@code message} or {@code detail}, else the text. */
  static String errorMessage(InputStream body) {
    String text;
    try (body) {
      text = new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
    try {
      JsonNode json = JSON.readTree(text);
      for (JsonNode candidate : new JsonNode[] {json.path("error").path("message"), json.path("error"),
          json.path("message"), json.path("detail")}) {
        if (candidate.isTextual() && !candidate.asText().isBlank()) {
          return candidate.asText();
        }
      }
    } catch (JsonProcessingException | RuntimeException e) {
      // not JSON: the text itself is the message
    }
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
          : e.getClass().getSimpleName();
    }
    return message;
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @Override
  public void close() {
    client.shutdownNow();
    watchdog.shutdownNow();
    httpThreads.shutdownNow();
  }

  @Override
  public String toString() {
    return "UpstreamModel[" + config + "]";
  }
}
