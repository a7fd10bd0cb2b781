package dev.loupe.protocol.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.image.ImageLoader;
import dev.loupe.protocol.ApiException;
import dev.loupe.runs.Capabilities;
import dev.loupe.runs.ContentPart;
import dev.loupe.runs.ConversationItem;
import dev.loupe.runs.FunctionCall;
import dev.loupe.runs.ImagePart;
import dev.loupe.runs.Message;
import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.Passthrough;
import dev.loupe.runs.ResponseRun;
import dev.loupe.runs.Role;
import dev.loupe.runs.RunEvent;
import dev.loupe.runs.RunRequest;
import dev.loupe.runs.TextPart;
import dev.loupe.runs.TokenCounter;
import dev.loupe.runs.ToolChoice;
import dev.loupe.runs.Usage;
import dev.loupe.tools.ImageSearchTool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One accepted chat-shaped request, its images and videos read: {@link CompletionService#prepare}
 * made it. Each wire wraps it (Chat Completions' {@code ChatCall}, DashScope's {@code
 * DashScopeCall}) and runs it once into its own {@link CompletionWriter}; {@link #run} blocks the
 * calling thread until the completion ends.
 */
public final class CompletionCall {
  private final ChatRequest request;
  private final ModelBackend backend;
  private final List<PreparedImage> images;
  private final List<PreparedVideo> videos;
  private final ImageLoader loader;
  private final ImageSearchTool tool;
  private final long created;
  private boolean started;

  CompletionCall(ChatRequest request, ModelBackend backend, List<PreparedImage> images, List<PreparedVideo> videos,
      ImageLoader loader, ImageSearchTool tool, long created) {
    this.request = request;
    this.backend = backend;
    this.images = List.copyOf(images);
    this.videos = List.copyOf(videos);
    this.loader = loader;
    this.tool = tool;
    this.created = created;
  }

  /** The request as parsed. */
  public ChatRequest request() {
    return request;
  }

  /** When it was accepted, in epoch seconds. */
  public long created() {
    return created;
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
   * Runs into a wire's writer (Chat Completions, contract 6; DashScope native, contract 7). Blocks
   * until the completion ends.
   *
   * <p>Every backend answers through the same {@link RunEvent} stream the Responses API folds
   * ({@link ResponseRun}); this method only encodes it: text and reasoning deltas as they come, the
   * client function calls, then the finish reason and the usage. A request without {@code
   * image_search} goes to a backend that {@linkplain Capabilities#clientTools() takes client tools}
   * as a {@link Passthrough} of the client's own body; with it, the backend's {@code image_search}
   * turn runs.
   *
   * @return whether the answer is partial (an upstream fell silent mid-answer)
   * @throws ApiException when it fails before {@code out} {@linkplain CompletionWriter#started()
   *     started}; after that the failure goes to {@link CompletionWriter#fail}
   */
  public boolean run(CompletionWriter out) throws ApiException {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("a CompletionCall runs once");
      }
      started = true;
    }
    Capabilities can = backend.capabilities();
    RunRequest run = runRequest(can);
    if (!request.imageSearch() && can.clientTools()) {
      run = run.withPassthrough(new Passthrough(passthroughBody(), estimateText((ArrayNode) request.body().get("messages"))
          + imageTokens() + videoTokens()));
    }
    Usage[] usage = {null};
    RunEvent[] terminal = {null};
    List<FunctionCall> calls = new ArrayList<>();
    ResponseRun.execute(backend, run, tool, event -> {
      switch (event) {
        case RunEvent.TextDelta d -> {
          if (!d.delta().isEmpty()) {
            out.content(d.delta());
          }
        }
        case RunEvent.ReasoningDelta r -> {
          if (!r.delta().isEmpty()) {
            out.reasoning(r.delta());
          }
        }
        case RunEvent.FunctionCallRequested f -> calls.add(f.call());
        case RunEvent.UsageReported u -> {
          usage[0] = u.usage();
          out.inputCounted(u.usage().inputTokens());
        }
        case RunEvent.Completed c -> terminal[0] = c;
        case RunEvent.Incomplete i -> terminal[0] = i;
        case RunEvent.Failed f -> terminal[0] = f;
        // The tool calls and message boundaries have no place on these wires.
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
      if (!out.started()) {
        throw ApiException.of(f.kind(), f.code(), f.message());
      }
      out.fail(ApiException.of(f.kind(), f.code(), f.message()));
      return false;
    }
    if (!calls.isEmpty()) {
      out.toolCalls(calls);
    }
    Usage u = usage[0] == null ? new Usage(0, 0, 0, 0, Map.of()) : usage[0];
    String reason = terminal[0] instanceof RunEvent.Incomplete i
        ? (i.reason().equals("content_filter") ? "content_filter" : "length")
        : calls.isEmpty() ? "stop" : "tool_calls";
    out.end(reason, new CompletionTokens(u.inputTokens(), u.cachedTokens(), imageTokens(), videoTokens(), u.outputTokens(),
        u.reasoningTokens()));
    return terminal[0] instanceof RunEvent.Incomplete i && i.reason().equals("upstream_timeout");
  }

  /** The conversation as the runs layer sees it: what an {@code image_search} turn reads. */
  private RunRequest runRequest(Capabilities can) {
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
          // Only a backend that takes videos gets here (the service refuses them otherwise).
          parts.add(new TextPart(video.note()));
          for (String frame : video.frameUrls()) {
            parts.add(new ImagePart(frame, "auto"));
          }
        } else {
          PreparedImage image = byPart.get(i + "/" + j);
          // A backend that looks at images reads the size Loupe bills; one that only searches
          // them searches the original.
          parts.add(new ImagePart(can.images() ? image.resizedDataUrl(loader) : image.originalDataUrl(), "auto",
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
    return new RunRequest(request.model(), null, items.subList(0, split), items.subList(split, items.size()),
        request.imageSearch(), choice.equals("none") ? ToolChoice.NONE
            : choice.equals("required") ? ToolChoice.REQUIRED : ToolChoice.AUTO,
        null, request.maxTokens());
  }

  /**
   * The client's body for a backend that answers it as it stands: each image re-encoded at the
   * size billed, each video spliced in as its frames, {@code max_tokens} for either length field.
   */
  private ObjectNode passthroughBody() {
    ObjectNode body = request.body().deepCopy();
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
    return body;
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
}
