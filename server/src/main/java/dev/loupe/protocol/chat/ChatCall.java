package dev.loupe.protocol.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.image.ImageLoader;
import dev.loupe.protocol.ApiException;
import dev.loupe.runs.BackendFailed;
import dev.loupe.runs.FailureKind;
import dev.loupe.runs.BuiltinModel;
import dev.loupe.runs.ContentPart;
import dev.loupe.runs.ConversationItem;
import dev.loupe.runs.ImagePart;
import dev.loupe.runs.Message;
import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.ResponseRun;
import dev.loupe.runs.Role;
import dev.loupe.runs.RunEvent;
import dev.loupe.runs.RunRequest;
import dev.loupe.runs.TextPart;
import dev.loupe.runs.TokenCounter;
import dev.loupe.runs.ToolChoice;
import dev.loupe.runs.Usage;
import dev.loupe.runs.upstream.ChatRound;
import dev.loupe.runs.upstream.ChatUsage;
import dev.loupe.runs.upstream.UpstreamModel;
import dev.loupe.tools.ImageSearchTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One accepted chat request, its images read: {@link ChatCompletionsService#prepare} made it. Run
 * it once, with {@link #stream} when {@link #streaming()}, else with {@link #await}; both block the
 * calling thread until the completion ends.
 */
public final class ChatCall {
  private final ChatRequest request;
  private final ModelBackend backend;
  private final List<PreparedImage> images;
  private final List<PreparedVideo> videos;
  private final ImageLoader loader;
  private final ImageSearchTool tool;
  private final long created;
  private final String id = "chatcmpl-" + ResponseRun.newId("c").substring(2);
  private boolean started;

  ChatCall(ChatRequest request, ModelBackend backend, List<PreparedImage> images, List<PreparedVideo> videos,
      ImageLoader loader, ImageSearchTool tool, long created) {
    this.request = request;
    this.backend = backend;
    this.images = List.copyOf(images);
    this.videos = List.copyOf(videos);
    this.loader = loader;
    this.tool = tool;
    this.created = created;
  }

  /** Whether the body said {@code "stream": true}. */
  public boolean streaming() {
    return request.stream();
  }

  /** The completion's id, {@code chatcmpl-…}, the same in every chunk. */
  public String id() {
    return id;
  }

  /** The smart-resize image tokens of the request: the sum of {@code (h'/f)·(w'/f) + 2}. */
  public int imageTokens() {
    return images.stream().mapToInt(PreparedImage::tokens).sum();
  }

  /**
   * The video frames' tokens: every sampled frame counted like an image, {@code (h'/f)·(w'/f) + 2}.
   * Not part of {@link #imageTokens()}.
   */
  public int videoTokens() {
    return videos.stream().mapToInt(PreparedVideo::tokens).sum();
  }

  /**
   * Runs without streaming.
   *
   * @throws ApiException 502/504 when the upstream failed (so the SDK can retry), 400 for an image the
   *     tool could not read, 500 otherwise
   */
  public ChatCompletion await() throws ApiException {
    ChatOutput out = new ChatOutput(id, created, request.model(), null, false, thinking());
    boolean partial = run(out);
    return new ChatCompletion(out.completion(), partial);
  }

  /**
   * Streams chunks to {@code sink}, ending with {@code data: [DONE]}, or with one error event when
   * the completion fails after its first chunk (contract 6.3).
   *
   * @throws ApiException when it fails before the first chunk: nothing was written, answer with HTTP
   * @throws IOException from the sink
   */
  public void stream(ChatSink sink) throws ApiException, IOException {
    ChatOutput out = new ChatOutput(id, created, request.model(), sink, request.includeUsage(), thinking());
    try {
      run(out);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private boolean thinking() {
    return request.body().path("enable_thinking").asBoolean(false);
  }

  /**
   * Runs into any wire's writer: how other protocols (DashScope native, contract 7) reuse this
   * call's dispatch to the builtin model or an upstream. Blocks until the completion ends.
   *
   * @return whether the answer is partial (an upstream timed out mid-answer)
   * @throws ApiException when it fails before {@code out} {@linkplain CompletionWriter#started()
   *     started}; after that the failure goes to {@link CompletionWriter#fail}
   */
  public boolean run(CompletionWriter out) throws ApiException {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("a ChatCall runs once");
      }
      started = true;
    }
    if (backend instanceof UpstreamModel upstream && !request.imageSearch()) {
      return proxy(upstream, out);
    }
    runTurn(out);
    return false;
  }

  // ---- the runs path: the builtin model, or an upstream's image_search tool loop ----

  private void runTurn(CompletionWriter out) throws ApiException {
    boolean builtin = backend instanceof BuiltinModel;
    List<ConversationItem> items = new ArrayList<>();
    int lastUser = -1;
    JsonNode messages = request.body().get("messages");
    Map<String, PreparedImage> byPart = byPart();
    Map<String, PreparedVideo> videoByPart = videoByPart();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      Role role = switch (m.path("role").asText()) {
        case "system" -> Role.SYSTEM;
        case "developer" -> Role.DEVELOPER;
        case "user" -> Role.USER;
        case "assistant" -> Role.ASSISTANT;
        default -> null; // tool results: the runs layer has no call to attach them to
      };
      if (role == null) {
        continue;
      }
      List<ContentPart> parts = new ArrayList<>();
      JsonNode content = m.path("content");
      if (content.isTextual()) {
        parts.add(new TextPart(content.asText()));
      }
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        PreparedVideo video = videoByPart.get(i + "/" + j);
        if (part.path("type").asText().equals("text")) {
          parts.add(new TextPart(part.path("text").asText()));
        } else if (video != null) {
          // Only an upstream gets here (the builtin model refuses videos): frames as images.
          parts.add(new TextPart(video.note()));
          for (String frame : video.frameUrls()) {
            parts.add(new ImagePart(frame, "auto"));
          }
        } else {
          PreparedImage image = byPart.get(i + "/" + j);
          // The builtin model searches the original; an upstream reads the size Loupe bills.
          parts.add(new ImagePart(builtin ? image.originalDataUrl() : image.resizedDataUrl(loader), "auto",
              image.tokens()));
        }
      }
      if (role == Role.USER) {
        lastUser = items.size();
      }
      items.add(new Message(role, parts));
    }
    int split = Math.max(0, lastUser);
    String choice = request.body().path("tool_choice").asText("auto");
    RunRequest run = new RunRequest(request.model(), null, items.subList(0, split), items.subList(split, items.size()),
        request.imageSearch(), choice.equals("none") ? ToolChoice.NONE
            : choice.equals("required") ? ToolChoice.REQUIRED : ToolChoice.AUTO,
        null, request.maxTokens());
    Usage[] usage = {null};
    RunEvent[] terminal = {null};
    ResponseRun.execute(backend, run, tool, event -> {
      switch (event) {
        case RunEvent.TextDelta d -> {
          if (!d.delta().isEmpty()) {
            out.content(d.delta());
          }
        }
        case RunEvent.UsageReported u -> {
          usage[0] = u.usage();
          out.inputCounted(u.usage().inputTokens());
        }
        case RunEvent.Completed c -> terminal[0] = c;
        case RunEvent.Incomplete i -> terminal[0] = i;
        case RunEvent.Failed f -> terminal[0] = f;
        case RunEvent.Created c -> { }
        case RunEvent.InProgress p -> { }
        case RunEvent.ToolCallStarted s -> { }
        case RunEvent.ToolCallSearching s -> { }
        case RunEvent.ToolCallCompleted c -> { }
        case RunEvent.MessageStarted m -> { }
        case RunEvent.MessageDone d -> { }
      }
    });
    if (terminal[0] instanceof RunEvent.Failed f) {
      fail(out, ApiException.of(f.kind(), f.code(), f.message()));
      return;
    }
    Usage u = usage[0] == null ? new Usage(0, 0, 0, 0, Map.of()) : usage[0];
    // The builtin model bills each image at the tokens counted here by smart resize (section 9).
    int prompt = u.inputTokens();
    out.end(terminal[0] instanceof RunEvent.Incomplete ? "length" : "stop",
        new ChatTokens(prompt, u.cachedTokens(), imageTokens(), videoTokens(), u.outputTokens(), u.reasoningTokens()));
  }

  // ---- the proxy path: an OpenAI-compatible upstream, thinking and all ----

  private boolean proxy(UpstreamModel upstream, CompletionWriter out) throws ApiException {
    ObjectNode body = request.body().deepCopy();
    String model = upstream.config().upstreamModel() != null ? upstream.config().upstreamModel() : request.model();
    body.put("model", model);
    body.put("stream", true); // the upstream always streams; a non-streaming client gets the fold
    body.putObject("stream_options").put("include_usage", true);
    body.remove("max_completion_tokens");
    if (request.maxTokens() != null) {
      body.put("max_tokens", request.maxTokens());
    }
    Map<String, PreparedImage> byPart = byPart();
    Map<String, PreparedVideo> videoByPart = videoByPart();
    ArrayNode messages = (ArrayNode) body.get("messages");
    for (int i = 0; i < messages.size(); i++) {
      JsonNode content = messages.get(i).path("content");
      for (int j = 0; j < content.size(); j++) {
        PreparedImage image = byPart.get(i + "/" + j);
        PreparedVideo video = videoByPart.get(i + "/" + j);
        if (video != null) {
          // Replaced below, after the images: splicing here would shift the indices of later parts.
          continue;
        }
        if (image != null) {
          ObjectNode part = ((ArrayNode) content).objectNode().put("type", "image_url");
          ObjectNode url = part.putObject("image_url").put("url", image.resizedDataUrl(loader));
          JsonNode detail = content.get(j).path("image_url").path("detail");
          if (detail.isTextual()) {
            url.put("detail", detail.asText());
          }
          // max_pixels/min_pixels are spent: the image already has its final size.
          ((ArrayNode) content).set(j, part);
        }
      }
      if (!videos.isEmpty() && content.isArray()) {
        ArrayNode spliced = ((ArrayNode) content).arrayNode();
        for (int j = 0; j < content.size(); j++) {
          PreparedVideo video = videoByPart.get(i + "/" + j);
          if (video == null) {
            spliced.add(content.get(j));
          } else {
            video.chatParts().forEach(spliced::add);
          }
        }
        ((ObjectNode) messages.get(i)).set("content", spliced);
      }
    }
    ChatRound round;
    try {
      round = upstream.chat(body, out::content, out::reasoning);
    } catch (BackendFailed e) {
      fail(out, ApiException.of(e.kind(), e.code(), e.getMessage()));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(out, ApiException.of(FailureKind.INTERNAL, "server_error", "The completion was interrupted."));
      return false;
    }
    out.toolCalls(round.toolCalls());
    ChatUsage u = round.usage();
    ChatTokens tokens = u != null
        ? new ChatTokens(u.promptTokens(), u.cachedTokens(), imageTokens(), videoTokens(), u.completionTokens(),
            u.reasoningTokens())
        : new ChatTokens(estimateText(messages) + imageTokens() + videoTokens(), 0, imageTokens(), videoTokens(),
            TokenCounter.count(round.text()) + TokenCounter.count(round.reasoning()), TokenCounter.count(round.reasoning()));
    out.end(round.partial() ? "length" : round.finishReason(), tokens);
    return round.partial();
  }

  /** The prompt's text tokens, for an upstream that reports no usage: about 4 per message, plus the text. */
  private static int estimateText(ArrayNode messages) {
    int tokens = 0;
    for (JsonNode m : messages) {
      tokens += 4;
      JsonNode content = m.path("content");
      tokens += content.isTextual() ? TokenCounter.count(content.asText()) : 0;
      for (JsonNode part : content) {
        tokens += TokenCounter.count(part.path("text").asText(""));
      }
    }
    return tokens;
  }

  private Map<String, PreparedVideo> videoByPart() {
    Map<String, PreparedVideo> map = new HashMap<>();
    for (PreparedVideo video : videos) {
      map.put(video.source().message() + "/" + video.source().part(), video);
    }
    return map;
  }

  private Map<String, PreparedImage> byPart() {
    Map<String, PreparedImage> map = new HashMap<>();
    for (PreparedImage image : images) {
      map.put(image.source().message() + "/" + image.source().part(), image);
    }
    return map;
  }

  /** Before the first chunk an HTTP error the SDK can act on; after it, the stream's last event. */
  private static void fail(CompletionWriter out, ApiException failure) {
    if (!out.started()) {
      throw failure;
    }
    out.fail(failure);
  }
}
