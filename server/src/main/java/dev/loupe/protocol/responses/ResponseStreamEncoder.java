package dev.loupe.protocol.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.RunEvent;
import dev.loupe.runs.Usage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns one turn's {@link RunEvent}s into Responses stream events (contract 3.2, 3.3) and keeps the
 * Response they describe. Streaming and non-streaming responses both come out of here: the final
 * Response is this fold of the event stream, so the two cannot differ (ARCHITECTURE "One event
 * stream per response"). Used by one thread.
 */
final class ResponseStreamEncoder implements Consumer<RunEvent> {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ResponsesRequest request;
  private final String responseId;
  private final long createdAt;
  private final Clock clock;
  private final Consumer<ResponseStreamEvent> out;
  private final Consumer<ObjectNode> beforeTerminal;

  private final List<ObjectNode> items = new ArrayList<>();
  private final Map<String, Integer> outputIndex = new HashMap<>();
  private final Set<String> done = new HashSet<>();
  private final Map<String, StringBuilder> texts = new HashMap<>();
  private int sequence;
  private Usage usage;
  private ObjectNode finalResponse;

  /**
   * @param out receives each event as it is made
   * @param beforeTerminal sees the final Response before the terminal event goes out (to store it,
   *     so a client that saw {@code response.completed} can retrieve it)
   */
  ResponseStreamEncoder(ResponsesRequest request, String responseId, long createdAt, Clock clock,
      Consumer<ResponseStreamEvent> out, Consumer<ObjectNode> beforeTerminal) {
    this.request = request;
    this.responseId = responseId;
    this.createdAt = createdAt;
    this.clock = clock;
    this.out = out;
    this.beforeTerminal = beforeTerminal;
  }

  /** The Response of the terminal event, or null before it. */
  ObjectNode finalResponse() {
    return finalResponse;
  }

  @Override
  public void accept(RunEvent event) {
    switch (event) {
      case RunEvent.Created c -> emit("response.created", e -> e.set("response", response("in_progress", null, null)));
      case RunEvent.InProgress p -> emit("response.in_progress", e -> e.set("response", response("in_progress", null, null)));
      case RunEvent.ToolCallStarted s -> {
        ObjectNode item = NODES.objectNode().put("id", s.callId()).put("type", s.tool() + "_call").put("status", "in_progress");
        int index = add(item);
        emit("response.output_item.added", e -> e.put("output_index", index).set("item", item.deepCopy()));
      }
      // Progress is reported through output_item.added/.done only: invented
      // response.image_search_call.* events break openai-node's stream helper (contract 3.4).
      case RunEvent.ToolCallSearching s -> { }
      case RunEvent.ToolCallCompleted c -> {
        int index = outputIndex.get(c.callId());
        ObjectNode item = items.get(index).put("status", "completed").put("output", c.result().output());
        done.add(c.callId());
        emit("response.output_item.done", e -> e.put("output_index", index).set("item", item.deepCopy()));
      }
      case RunEvent.MessageStarted m -> {
        ObjectNode item = NODES.objectNode().put("id", m.messageId()).put("type", "message").put("role", "assistant")
            .put("status", "in_progress");
        item.putArray("content");
        int index = add(item);
        texts.put(m.messageId(), new StringBuilder());
        emit("response.output_item.added", e -> e.put("output_index", index).set("item", item.deepCopy()));
        emit("response.content_part.added", e -> e.put("item_id", m.messageId()).put("output_index", index)
            .put("content_index", 0).set("part", textPart("")));
      }
      case RunEvent.TextDelta d -> {
        int index = outputIndex.get(d.messageId());
        texts.get(d.messageId()).append(d.delta());
        emit("response.output_text.delta", e -> {
          e.put("item_id", d.messageId()).put("output_index", index).put("content_index", 0).put("delta", d.delta());
          e.putArray("logprobs");
        });
      }
      case RunEvent.MessageDone m -> {
        int index = outputIndex.get(m.messageId());
        String text = texts.get(m.messageId()).toString();
        emit("response.output_text.done", e -> {
          e.put("item_id", m.messageId()).put("output_index", index).put("content_index", 0).put("text", text);
          e.putArray("logprobs");
        });
        emit("response.content_part.done", e -> e.put("item_id", m.messageId()).put("output_index", index)
            .put("content_index", 0).set("part", textPart(text)));
        ObjectNode item = items.get(index).put("status", m.truncated() ? "incomplete" : "completed");
        ((ArrayNode) item.get("content")).removeAll().add(textPart(text));
        done.add(m.messageId());
        emit("response.output_item.done", e -> e.put("output_index", index).set("item", item.deepCopy()));
      }
      // Reasoning is not shown: the Responses output has no reasoning items yet (its tokens count).
      case RunEvent.ReasoningDelta r -> { }
      case RunEvent.FunctionCallRequested f -> {
        ObjectNode item = NODES.objectNode().put("id", "fc_" + f.call().callId()).put("type", "function_call")
            .put("status", "completed").put("call_id", f.call().callId()).put("name", f.call().name())
            .put("arguments", f.call().arguments());
        int index = add(item);
        done.add(item.get("id").asText());
        emit("response.output_item.added", e -> e.put("output_index", index).set("item", item.deepCopy()));
        emit("response.output_item.done", e -> e.put("output_index", index).set("item", item.deepCopy()));
      }
      case RunEvent.UsageReported u -> usage = u.usage();
      case RunEvent.Completed c -> terminal("response.completed", response("completed", null, null));
      case RunEvent.Incomplete i -> terminal("response.incomplete",
          response("incomplete", null, NODES.objectNode().put("reason", i.reason())));
      case RunEvent.Failed f -> terminal("response.failed",
          response("failed", NODES.objectNode().put("code", f.code()).put("message", f.message()), null));
    }
  }

  private int add(ObjectNode item) {
    String id = item.get("id").asText();
    if (outputIndex.containsKey(id)) {
      throw new IllegalStateException("duplicate output item id: " + id);
    }
    // output_index = the number of items added so far (contract 3.5 rule 3)
    outputIndex.put(id, items.size());
    items.add(item);
    return items.size() - 1;
  }

  private void terminal(String type, ObjectNode response) {
    finalResponse = response;
    beforeTerminal.accept(response);
    emit(type, e -> e.set("response", response.deepCopy()));
  }

  private void emit(String type, Consumer<ObjectNode> fields) {
    ObjectNode data = NODES.objectNode().put("type", type).put("sequence_number", sequence++);
    fields.accept(data);
    out.accept(new ResponseStreamEvent(type, data));
  }

  private static ObjectNode textPart(String text) {
    ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  /** The Response object with every field of contract 2.3, in the order of the 2.7 example. */
  private ObjectNode response(String status, ObjectNode error, ObjectNode incomplete) {
    boolean terminal = !status.equals("in_progress");
    ObjectNode r = NODES.objectNode();
    r.put("id", responseId);
    r.put("object", "response");
    r.put("created_at", createdAt);
    r.put("status", status);
    r.put("background", false);
    if (terminal) {
      r.put("completed_at", clock.instant().getEpochSecond());
    } else {
      r.putNull("completed_at");
    }
    r.set("error", error == null ? NODES.nullNode() : error);
    r.set("incomplete_details", incomplete == null ? NODES.nullNode() : incomplete);
    r.put("instructions", request.instructions());
    r.set("max_output_tokens", request.maxOutputTokens() == null ? NODES.nullNode() : NODES.numberNode(request.maxOutputTokens()));
    r.set("max_tool_calls", request.maxToolCalls() == null ? NODES.nullNode() : NODES.numberNode(request.maxToolCalls()));
    r.set("metadata", request.metadata().deepCopy());
    r.put("model", request.model());
    ArrayNode output = r.putArray("output");
    if (terminal) {
      for (ObjectNode item : items) {
        // A failed response lists the items finished so far (contract 2.5).
        if (!status.equals("failed") || done.contains(item.get("id").asText())) {
          output.add(item.deepCopy());
        }
      }
    }
    r.put("parallel_tool_calls", request.parallelToolCalls());
    r.put("previous_response_id", request.previousResponseId());
    r.set("reasoning", request.reasoning().deepCopy());
    r.put("store", request.store());
    r.set("temperature", request.temperature().deepCopy());
    r.set("text", request.text().deepCopy());
    r.set("tool_choice", request.toolChoice().deepCopy());
    r.set("tools", request.tools().deepCopy());
    r.set("top_p", request.topP().deepCopy());
    r.put("truncation", request.truncation());
    r.set("user", request.user().deepCopy());
    r.set("usage", terminal && usage != null ? usage(usage) : NODES.nullNode());
    return r;
  }

  /** Contract 2.6: every count a JSON integer; x_tools only when a built-in tool ran. */
  private static ObjectNode usage(Usage u) {
    ObjectNode n = NODES.objectNode();
    n.put("input_tokens", u.inputTokens());
    n.putObject("input_tokens_details").put("cached_tokens", u.cachedTokens()).put("cache_write_tokens", 0);
    n.put("output_tokens", u.outputTokens());
    n.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
    n.put("total_tokens", u.totalTokens());
    if (!u.toolCalls().isEmpty()) {
      ObjectNode tools = n.putObject("x_tools");
      u.toolCalls().forEach((name, count) -> tools.putObject(name).put("count", count));
    }
    return n;
  }
}
