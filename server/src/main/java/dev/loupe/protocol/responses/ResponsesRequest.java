package dev.loupe.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.ToolChoice;
import java.util.List;

/**
 * A validated {@code POST /v1/responses} body (contract 2.1). Echoed fields keep their JSON form.
 *
 * @param input this request's input items, normalised: {@code "type":"message"} added, string
 *     content turned into one text part; what {@code input_items} returns
 * @param toolChoiceMode the {@code tool_choice} as the model sees it
 * @param imageSearch whether {@code tools} holds {@code {"type":"image_search"}}
 */
public record ResponsesRequest(
    String model,
    List<ObjectNode> input,
    String instructions,
    ArrayNode tools,
    JsonNode toolChoice,
    ToolChoice toolChoiceMode,
    boolean imageSearch,
    boolean stream,
    Integer maxOutputTokens,
    Integer maxToolCalls,
    String previousResponseId,
    boolean store,
    boolean parallelToolCalls,
    ObjectNode metadata,
    JsonNode temperature,
    JsonNode topP,
    JsonNode text,
    JsonNode reasoning,
    String truncation,
    JsonNode user) {
  public ResponsesRequest {
    input = List.copyOf(input);
  }
}
