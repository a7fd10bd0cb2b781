package dev.loupe.protocol.chat;

import dev.loupe.protocol.ApiException;
import dev.loupe.protocol.completion.CompletionTokens;
import dev.loupe.protocol.completion.CompletionWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.FunctionCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Folds one completion's pieces into the Chat Completions wire shape: streamed chunks to a {@link ChatSink}
 * (contract 6.3), or one {@code chat.completion} object (6.2). Both get the same calls in the same
 * order: {@link #reasoning}/{@link #content} pieces, maybe {@link #toolCalls}, then {@link #end}.
 * Used by one thread.
 */
final class ChatOutput implements CompletionWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String id;
  private final long created;
  private final String model;
  private final ChatSink sink; // null when not streaming
  private final boolean includeUsage;
  private final boolean thinking;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private List<FunctionCall> toolCalls = List.of();
  private boolean started;
  private ObjectNode completion;

  ChatOutput(String id, long created, String model, ChatSink sink, boolean includeUsage, boolean thinking) {
    this.id = id;
    this.created = created;
    this.model = model;
    this.sink = sink;
    this.includeUsage = includeUsage;
    this.thinking = thinking;
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public void reasoning(String piece) {
    reasoning.append(piece);
    ObjectNode delta = NODES.objectNode();
    delta.putNull("content");
    delta.put("reasoning_content", piece);
    delta(delta, null);
  }

  @Override
  public void content(String piece) {
    text.append(piece);
    // Answer deltas leave reasoning_content out: seed 003's client reads any non-null value as
    // reasoning and would drop this chunk's content (contract 6.3).
    delta(NODES.objectNode().put("content", piece), null);
  }

  @Override
  public void toolCalls(List<FunctionCall> calls) {
    toolCalls = List.copyOf(calls);
    if (!calls.isEmpty()) {
      ObjectNode delta = NODES.objectNode();
      ArrayNode list = delta.putArray("tool_calls");
      for (int i = 0; i < calls.size(); i++) {
        ObjectNode call = call(calls.get(i));
        call.put("index", i);
        list.add(call);
      }
      delta(delta, null);
    }
  }

  /** The finish chunk, the usage chunk when asked for, and {@code [DONE]}; or the whole object. */
  @Override
  public void end(String finishReason, CompletionTokens usage) {
    String reason = switch (finishReason) {
      case "stop", "length", "tool_calls", "content_filter", "function_call" -> finishReason;
      default -> "stop"; // openai-java knows only these five
    };
    if (sink == null) {
      completion = envelope("chat.completion");
      ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", reason);
      choice.putNull("logprobs");
      ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", text.toString());
      if (!reasoning.isEmpty()) {
        message.put("reasoning_content", reasoning.toString());
      }
      if (!toolCalls.isEmpty()) {
        ArrayNode list = message.putArray("tool_calls");
        toolCalls.forEach(c -> list.add(call(c)));
      }
      completion.set("usage", usageJson(usage));
      return;
    }
    delta(NODES.objectNode(), reason);
    if (includeUsage) {
      ObjectNode chunk = envelope("chat.completion.chunk");
      chunk.putArray("choices"); // empty: seed 003 prints usage when choices is empty
      chunk.set("usage", usageJson(usage));
      write(chunk);
    }
    try {
      sink.done();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A mid-stream failure: one {@code data: {"error": ...}} event, then the caller closes (6.3). */
  @Override
  public void fail(ApiException failure) {
    ObjectNode body = NODES.objectNode();
    body.set("error", failure.openAiError());
    started = true;
    write(body);
  }

  /** The non-streaming result, after {@link #end}. */
  ObjectNode completion() {
    return completion;
  }

  private void delta(ObjectNode delta, String finishReason) {
    if (sink == null) {
      return;
    }
    if (!started) {
      started = true;
      ObjectNode first = NODES.objectNode().put("role", "assistant").put("content", "");
      if (thinking) {
        first.put("reasoning_content", "");
      }
      write(chunk(first, null));
    }
    write(chunk(delta, finishReason));
  }

  private ObjectNode chunk(ObjectNode delta, String finishReason) {
    ObjectNode chunk = envelope("chat.completion.chunk");
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.put("finish_reason", finishReason);
    choice.putNull("logprobs");
    return chunk;
  }

  private ObjectNode envelope(String object) {
    ObjectNode node = NODES.objectNode().put("id", id).put("object", object).put("created", created)
        .put("model", model);
    node.putNull("system_fingerprint");
    return node;
  }

  /** {@code {prompt_tokens, completion_tokens, total_tokens, prompt_tokens_details, completion_tokens_details}}. */
  private static ObjectNode usageJson(CompletionTokens tokens) {
    ObjectNode usage = NODES.objectNode().put("prompt_tokens", tokens.prompt())
        .put("completion_tokens", tokens.completion()).put("total_tokens", tokens.prompt() + tokens.completion());
    usage.putObject("prompt_tokens_details").put("cached_tokens", tokens.cached()).put("image_tokens", tokens.image())
        .put("text_tokens", Math.max(0, tokens.prompt() - tokens.image() - tokens.video()));
    usage.putObject("completion_tokens_details").put("reasoning_tokens", tokens.reasoning());
    return usage;
  }

  private static ObjectNode call(FunctionCall call) {
    ObjectNode node = NODES.objectNode().put("id", call.callId()).put("type", "function");
    node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
    return node;
  }

  private void write(JsonNode chunk) {
    try {
      sink.chunk((ObjectNode) chunk);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
