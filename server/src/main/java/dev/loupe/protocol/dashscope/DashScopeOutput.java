package dev.loupe.protocol.dashscope;

import dev.loupe.protocol.ApiException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.completion.CompletionTokens;
import dev.loupe.protocol.completion.CompletionWriter;
import dev.loupe.runs.FunctionCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Folds one completion into the native shape: result chunks to a {@link DashScopeSink} (contract
 * 7.3), or one response object (7.2). Used by one thread.
 */
final class DashScopeOutput implements CompletionWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String requestId;
  private final DashScopeSink sink; // null when not streaming
  private final boolean incremental;
  private final boolean thinking;
  private int inputEstimate;
  private final int imageTokens;
  private final int videoTokens;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private List<FunctionCall> toolCalls = List.of();
  private int pieces;
  private boolean started;
  private ObjectNode response;

  /**
   * @param inputEstimate the prompt tokens shown in the running usage until the real count is known
   */
  DashScopeOutput(String requestId, DashScopeSink sink, boolean incremental, boolean thinking, int inputEstimate,
      int imageTokens, int videoTokens) {
    this.requestId = requestId;
    this.sink = sink;
    this.incremental = incremental;
    this.thinking = thinking;
    this.inputEstimate = inputEstimate;
    this.imageTokens = imageTokens;
    this.videoTokens = videoTokens;
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public void reasoning(String piece) {
    reasoning.append(piece);
    pieces++;
    if (sink != null) {
      // While thinking, content is an empty list and the reasoning travels alone (7.3).
      ObjectNode message = message(NODES.arrayNode());
      message.put("reasoning_content", incremental ? piece : reasoning.toString());
      write(chunk("null", message, running()));
    }
  }

  @Override
  public void content(String piece) {
    text.append(piece);
    pieces++;
    if (sink != null) {
      // The text is always content[0]: where seed 003's clients read it (7.3).
      ObjectNode message = message(textList(incremental ? piece : text.toString()));
      if (thinking || !reasoning.isEmpty()) {
        message.put("reasoning_content", incremental ? "" : reasoning.toString());
      }
      write(chunk("null", message, running()));
    }
  }

  @Override
  public void inputCounted(int promptTokens) {
    inputEstimate = promptTokens;
  }

  @Override
  public void toolCalls(List<FunctionCall> calls) {
    toolCalls = List.copyOf(calls);
  }

  @Override
  public void end(String finishReason, CompletionTokens tokens) {
    String reason = switch (finishReason) {
      case "stop", "length", "tool_calls" -> finishReason;
      default -> "stop";
    };
    ObjectNode usage = usage(tokens.prompt(), tokens.completion(), tokens.image(), tokens.video());
    if (tokens.reasoning() > 0) {
      usage.putObject("output_tokens_details").put("reasoning_tokens", tokens.reasoning());
    }
    if (sink == null) {
      ObjectNode message = message(textList(text.toString()));
      if (!reasoning.isEmpty()) {
        message.put("reasoning_content", reasoning.toString());
      }
      addToolCalls(message);
      response = chunk(reason, message, usage);
      return;
    }
    // Incremental: everything was sent already, so the last chunk only says why it ended.
    ObjectNode message = message(incremental ? NODES.arrayNode() : textList(text.toString()));
    if (thinking || !reasoning.isEmpty()) {
      message.put("reasoning_content", incremental ? "" : reasoning.toString());
    }
    addToolCalls(message);
    write(chunk(reason, message, usage));
  }

  @Override
  public void fail(ApiException failure) {
    started = true;
    try {
      sink.error(failure.status(), DashScopeErrors.body(failure, requestId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The non-streaming response, after {@link #end}. */
  ObjectNode response() {
    return response;
  }

  private ObjectNode running() {
    return usage(inputEstimate, pieces, imageTokens, videoTokens);
  }

  private static ObjectNode usage(int input, int output, int image, int video) {
    ObjectNode usage = NODES.objectNode().put("input_tokens", input).put("output_tokens", output)
        .put("total_tokens", input + output).put("image_tokens", image);
    if (video > 0) {
      // The SDK maps video_tokens (contract 7.2); like image_tokens it is part of input_tokens.
      usage.put("video_tokens", video);
    }
    return usage;
  }

  private static ObjectNode message(ArrayNode content) {
    ObjectNode message = NODES.objectNode().put("role", "assistant");
    message.set("content", content);
    return message;
  }

  private static ArrayNode textList(String text) {
    ArrayNode list = NODES.arrayNode();
    list.addObject().put("text", text);
    return list;
  }

  private void addToolCalls(ObjectNode message) {
    if (toolCalls.isEmpty()) {
      return;
    }
    ArrayNode list = message.putArray("tool_calls");
    for (int i = 0; i < toolCalls.size(); i++) {
      FunctionCall call = toolCalls.get(i);
      ObjectNode node = list.addObject().put("id", call.callId()).put("type", "function").put("index", i);
      node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
    }
  }

  /** The whole envelope (7.2, 7.3): {@code output.choices[0]}, {@code usage}, {@code request_id}. */
  private ObjectNode chunk(String finishReason, ObjectNode message, ObjectNode usage) {
    ObjectNode body = NODES.objectNode();
    ObjectNode choice = body.putObject("output").putArray("choices").addObject();
    // Intermediate chunks carry the string "null", as the hosted service sends (7.3).
    choice.put("finish_reason", finishReason);
    choice.set("message", message);
    body.set("usage", usage);
    body.put("request_id", requestId);
    return body;
  }

  private void write(ObjectNode chunk) {
    started = true;
    try {
      sink.result(chunk);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
