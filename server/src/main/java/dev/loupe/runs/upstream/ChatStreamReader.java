package dev.loupe.runs.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a streamed chat completion ({@code data: {chunk}} events, then {@code data: [DONE]}) into a
 * {@link ChatRound}, handing each text delta to a consumer as it arrives. Tool calls arrive in
 * fragments keyed by {@code index}: the first usually carries {@code id} and {@code function.name},
 * the next ones pieces of {@code function.arguments}; they are concatenated here.
 *
 * <p>Only choice 0 is read. {@code reasoning_content} deltas (thinking models on vLLM, SGLang and
 * DashScope) go to their own consumer: the Chat Completions proxy streams them back, the Responses
 * path drops them (its output has no reasoning items yet). Used by one thread.
 */
final class ChatStreamReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Most characters of one SSE line: a chunk is small, a runaway line is a broken server. */
  static final int MAX_LINE_CHARS = 4 << 20;

  private final Consumer<String> onText;
  private final Consumer<String> onReasoning;
  private final Runnable onActivity;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final TreeMap<Integer, String[]> calls = new TreeMap<>();
  private String finishReason;
  private ChatUsage usage;

  /**
   * @param onText receives each non-empty {@code content} delta
   * @param onActivity called after every line read, to tell a watchdog the stream is alive
   */
  ChatStreamReader(Consumer<String> onText, Runnable onActivity) {
    this(onText, reasoning -> { }, onActivity);
  }

  /** @param onReasoning receives each non-empty {@code reasoning_content} delta */
  ChatStreamReader(Consumer<String> onText, Consumer<String> onReasoning, Runnable onActivity) {
    this.onText = onText;
    this.onReasoning = onReasoning;
    this.onActivity = onActivity;
  }

  /**
   * Reads the stream to {@code [DONE]}.
   *
   * @throws UpstreamStreamException when the server sent an {@code error} event, a chunk that is
   *     not JSON, or closed the stream before {@code [DONE]} and before any {@code finish_reason}
   * @throws IOException when reading fails
   */
  ChatRound read(InputStream in) throws IOException, UpstreamStreamException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      onActivity.run();
      if (line.length() > MAX_LINE_CHARS) {
        throw new UpstreamStreamException("a stream line is longer than " + MAX_LINE_CHARS + " characters");
      }
      if (line.isEmpty()) {
        if (!data.isEmpty()) {
          if (data.toString().strip().equals("[DONE]")) {
            return round();
          }
          chunk(data.toString());
          data.setLength(0);
        }
      } else if (line.startsWith("data:")) {
        if (!data.isEmpty()) {
          data.append('\n'); // several data lines form one event (the SSE spec)
        }
        data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
      }
      // Comments (": keep-alive"), event:, id: and retry: lines carry nothing for chat chunks.
    }
    if (!data.isEmpty()) {
      if (data.toString().strip().equals("[DONE]")) {
        return round();
      }
      chunk(data.toString());
    }
    // Some servers end with the finish chunk and no [DONE]; without either the answer is cut off.
    if (finishReason == null) {
      throw new UpstreamStreamException("the stream ended before the completion finished");
    }
    return round();
  }

  private void chunk(String json) throws UpstreamStreamException {
    JsonNode chunk;
    try {
      chunk = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UpstreamStreamException("a stream chunk is not JSON: " + e.getOriginalMessage());
    }
    if (chunk.hasNonNull("error")) {
      JsonNode error = chunk.get("error");
      throw new UpstreamStreamException("error in the stream: " + (error.isTextual() ? error.asText()
          : error.path("message").asText(error.toString())));
    }
    if (chunk.path("usage").isObject()) {
      // Cumulative when a server reports it on every chunk (vLLM continuous_usage_stats): keep the last.
      usage = ChatUsage.of(chunk.get("usage"));
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue;
      }
      JsonNode delta = choice.path("delta");
      String thought = delta.path("reasoning_content").isTextual() ? delta.get("reasoning_content").asText() : "";
      if (!thought.isEmpty()) {
        reasoning.append(thought);
        onReasoning.accept(thought);
      }
      String content = delta.path("content").isTextual() ? delta.get("content").asText() : "";
      if (!content.isEmpty()) {
        text.append(content);
        onText.accept(content);
      }
      JsonNode toolCalls = delta.path("tool_calls");
      for (int i = 0; i < toolCalls.size(); i++) {
        JsonNode call = toolCalls.get(i);
        // Servers that send each call whole in one chunk (Ollama) may leave index out.
        int index = call.path("index").isIntegralNumber() ? call.get("index").asInt() : calls.size();
        String[] acc = calls.computeIfAbsent(index, k -> new String[] {null, null, ""});
        if (call.path("id").isTextual() && !call.get("id").asText().isEmpty()) {
          acc[0] = call.get("id").asText();
        }
        JsonNode function = call.path("function");
        if (function.path("name").isTextual() && !function.get("name").asText().isEmpty()) {
          acc[1] = function.get("name").asText();
        }
        if (function.path("arguments").isTextual()) {
          acc[2] += function.get("arguments").asText();
        } else if (function.path("arguments").isObject()) {
          acc[2] += function.get("arguments").toString(); // some servers send an object, not a string
        }
      }
      if (choice.hasNonNull("finish_reason")) {
        finishReason = choice.get("finish_reason").asText();
      }
    }
  }

  private ChatRound round() {
    List<ChatToolCall> out = new ArrayList<>();
    calls.values().forEach(c -> out.add(new ChatToolCall(c[0], c[1] == null ? "" : c[1], c[2])));
    return new ChatRound(text.toString(), reasoning.toString(), out, finishReason == null ? "stop" : finishReason,
        usage, false);
  }

  /** Whether any text or reasoning has arrived. */
  boolean produced() {
    return !text.isEmpty() || !reasoning.isEmpty();
  }

  /** What arrived before the stream was cut: finish reason {@code length}, flagged partial. */
  ChatRound partial() {
    List<ChatToolCall> none = List.of(); // half a tool call is no call
    return new ChatRound(text.toString(), reasoning.toString(), none, "length", usage, true);
  }
}
