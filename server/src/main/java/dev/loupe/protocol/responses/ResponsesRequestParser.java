package dev.loupe.protocol.responses;

import dev.loupe.protocol.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.runs.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a Responses request body per contract 2.1 and 2.2. Strict about the fields
 * Loupe uses, silent about the rest: unknown keys are ignored, {@code include} is never refused.
 * Errors follow OpenAI's wording ({@code Invalid type for 'max_output_tokens': expected an integer,
 * but got a string instead.}) with {@code param} set to the field's path.
 */
public final class ResponsesRequestParser {
  static final int MAX_METADATA_KEYS = 16;
  static final int MAX_METADATA_KEY_CHARS = 64;
  static final int MAX_METADATA_VALUE_CHARS = 512;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> ROLES = List.of("user", "system", "developer", "assistant");
  private static final List<String> DETAILS = List.of("low", "high", "auto", "original");
  private static final List<String> TOOL_TYPES = List.of("image_search", "function", "web_search");
  private static final Set<String> TOOL_TYPE_ALIASES = Set.of("web_search_preview");
  private static final List<String> TOOL_CHOICES = List.of("auto", "none", "required");

  private ResponsesRequestParser() {}

  /**
   * Validates a request body.
   *
   * @param dashScopeSse the {@code X-DashScope-SSE} header value or null; {@code enable} means
   *     stream, as the JP seed's curl sends it next to {@code "stream": true} (contract 4)
   */
  public static ResponsesRequest parse(JsonNode body, String dashScopeSse) throws ApiException {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid(null, "invalid_type",
          "Invalid type for request body: expected an object, but got " + typeName(body) + " instead.");
    }
    String model = requiredString(body, "model");
    if (model.isBlank()) {
      throw ApiException.invalid("model", "invalid_value", "Invalid value for 'model': the model name must not be empty.");
    }
    if (!body.hasNonNull("input")) {
      throw missing("input");
    }
    List<ObjectNode> input = inputItems(body.get("input"));
    String instructions = optionalString(body, "instructions");

    ArrayNode tools = NODES.arrayNode();
    boolean imageSearch = false;
    JsonNode toolsNode = body.get("tools");
    if (toolsNode != null && !toolsNode.isNull()) {
      if (!toolsNode.isArray()) {
        throw wrongType("tools", "an array", toolsNode);
      }
      for (int i = 0; i < toolsNode.size(); i++) {
        JsonNode tool = toolsNode.get(i);
        String path = "tools[" + i + "]";
        if (!tool.isObject()) {
          throw wrongType(path, "an object", tool);
        }
        String type = requiredString(tool, "type", path + ".type");
        if (!TOOL_TYPES.contains(type) && !TOOL_TYPE_ALIASES.contains(type)) {
          throw invalidValue(path + ".type", type, TOOL_TYPES);
        }
        if (type.equals("function")) {
          requiredString(tool, "name", path + ".name");
        }
        imageSearch |= type.equals("image_search");
        tools.add(tool.deepCopy());
      }
    }

    JsonNode toolChoice = body.get("tool_choice");
    ToolChoice mode = ToolChoice.AUTO;
    if (toolChoice == null || toolChoice.isNull()) {
      toolChoice = NODES.textNode("auto");
    } else if (toolChoice.isTextual()) {
      if (!TOOL_CHOICES.contains(toolChoice.asText())) {
        throw invalidValue("tool_choice", toolChoice.asText(), TOOL_CHOICES);
      }
      mode = ToolChoice.valueOf(toolChoice.asText().toUpperCase(java.util.Locale.ROOT));
    } else if (toolChoice.isObject()) {
      String type = requiredString(toolChoice, "type", "tool_choice.type");
      // Forcing image_search is "required" for a model whose only tool is image_search; a forced
      // client function leaves the builtin model free (it never calls client functions).
      mode = type.equals("image_search") ? ToolChoice.REQUIRED : ToolChoice.AUTO;
      if (type.equals("function")) {
        requiredString(toolChoice, "name", "tool_choice.name");
      } else if (!TOOL_TYPES.contains(type)) {
        throw invalidValue("tool_choice.type", type, TOOL_TYPES);
      }
    } else {
      throw wrongType("tool_choice", "a string or an object", toolChoice);
    }

    boolean stream = optionalBoolean(body, "stream", false)
        || (dashScopeSse != null && dashScopeSse.strip().equalsIgnoreCase("enable"));
    if (optionalBoolean(body, "background", false)) {
      throw ApiException.invalid("background", "unsupported_value",
          "Unsupported value: 'background' does not support true with this server; omit it or send false.");
    }
    Integer maxOutputTokens = optionalInt(body, "max_output_tokens", 1);
    Integer maxToolCalls = optionalInt(body, "max_tool_calls", 0);
    String previous = optionalString(body, "previous_response_id");
    boolean store = optionalBoolean(body, "store", true);
    boolean parallel = optionalBoolean(body, "parallel_tool_calls", true);
    ObjectNode metadata = metadata(body.get("metadata"));
    JsonNode temperature = optionalNumber(body, "temperature");
    JsonNode topP = optionalNumber(body, "top_p");
    JsonNode text = body.get("text");
    if (text == null || text.isNull()) {
      text = NODES.objectNode().set("format", NODES.objectNode().put("type", "text"));
    } else if (!text.isObject()) {
      throw wrongType("text", "an object", text);
    }
    JsonNode reasoning = body.get("reasoning");
    if (reasoning != null && !reasoning.isNull() && !reasoning.isObject()) {
      throw wrongType("reasoning", "an object", reasoning);
    }
    String truncation = optionalString(body, "truncation");
    if (truncation != null && !truncation.equals("auto") && !truncation.equals("disabled")) {
      throw invalidValue("truncation", truncation, List.of("auto", "disabled"));
    }
    JsonNode user = body.get("user");
    return new ResponsesRequest(model, input, instructions, tools, toolChoice.deepCopy(), mode, imageSearch, stream,
        maxOutputTokens, maxToolCalls, previous, store, parallel, metadata, orNull(temperature), orNull(topP),
        text.deepCopy(), reasoning == null ? NODES.nullNode() : reasoning.deepCopy(),
        truncation == null ? "disabled" : truncation, user != null && user.isTextual() ? user : NODES.nullNode());
  }

  /** Normalises {@code input}: a string becomes one user message; items are checked one by one. */
  static List<ObjectNode> inputItems(JsonNode input) throws ApiException {
    List<ObjectNode> items = new ArrayList<>();
    if (input.isTextual()) {
      ObjectNode message = NODES.objectNode().put("type", "message").put("role", "user");
      message.putArray("content").addObject().put("type", "input_text").put("text", input.asText());
      items.add(message);
      return items;
    }
    if (!input.isArray()) {
      throw wrongType("input", "a string or an array", input);
    }
    for (int i = 0; i < input.size(); i++) {
      items.add(item(input.get(i), "input[" + i + "]"));
    }
    return items;
  }

  /** One input item, normalised; also used for stored items read back for previous_response_id. */
  static ObjectNode item(JsonNode node, String path) throws ApiException {
    if (!node.isObject()) {
      throw wrongType(path, "an object", node);
    }
    ObjectNode item = (ObjectNode) node.deepCopy();
    String type = node.has("type") ? requiredString(node, "type", path + ".type") : "message";
    switch (type) {
      case "message" -> {
        String role = requiredString(node, "role", path + ".role");
        if (!ROLES.contains(role)) {
          throw invalidValue(path + ".role", role, ROLES);
        }
        item.put("type", "message");
        JsonNode content = node.get("content");
        if (content == null || content.isNull()) {
          throw missing(path + ".content");
        }
        if (content.isTextual()) {
          ArrayNode parts = NODES.arrayNode();
          ObjectNode part = parts.addObject()
              .put("type", role.equals("assistant") ? "output_text" : "input_text").put("text", content.asText());
          if (role.equals("assistant")) {
            part.putArray("annotations");
          }
          item.set("content", parts);
        } else if (content.isArray()) {
          for (int j = 0; j < content.size(); j++) {
            part(content.get(j), path + ".content[" + j + "]");
          }
        } else {
          throw wrongType(path + ".content", "a string or an array", content);
        }
      }
      case "function_call_output" -> {
        requiredString(node, "call_id", path + ".call_id");
        if (!node.hasNonNull("output")) {
          throw missing(path + ".output");
        }
      }
      case "function_call" -> {
        requiredString(node, "call_id", path + ".call_id");
        requiredString(node, "name", path + ".name");
        requiredString(node, "arguments", path + ".arguments");
      }
      case "image_search_call" -> {
        JsonNode output = node.get("output");
        if (output != null && !output.isNull() && !output.isTextual()) {
          throw wrongType(path + ".output", "a string", output);
        }
      }
      case "input_file", "input_audio", "input_text", "input_image" -> throw ApiException.invalid(path + ".type",
          "invalid_value", "Invalid value: '" + type + "' at '" + path + "'. Content parts belong in the 'content' "
              + "array of a message item.");
      default -> throw invalidValue(path + ".type", type,
          List.of("message", "function_call", "function_call_output", "image_search_call"));
    }
    return item;
  }

  private static void part(JsonNode part, String path) throws ApiException {
    if (!part.isObject()) {
      throw wrongType(path, "an object", part);
    }
    String type = requiredString(part, "type", path + ".type");
    switch (type) {
      case "input_text", "output_text" -> requiredString(part, "text", path + ".text");
      case "refusal" -> requiredString(part, "refusal", path + ".refusal");
      case "input_image" -> image(part, path);
      case "input_file", "input_audio" -> throw ApiException.invalid(path, "unsupported_value",
          "Unsupported content type '" + type + "' at '" + path + "': this server accepts input_text and "
              + "input_image parts only.");
      default -> throw invalidValue(path + ".type", type, List.of("input_text", "input_image", "output_text", "refusal"));
    }
  }

  private static void image(JsonNode part, String path) throws ApiException {
    boolean hasUrl = part.hasNonNull("image_url");
    boolean hasFile = part.hasNonNull("file_id");
    if (hasUrl == hasFile) {
      throw ApiException.invalid(path, "invalid_image", "Invalid image at '" + path
          + "': exactly one of 'image_url' and 'file_id' must be set, got " + (hasUrl ? "both." : "neither."));
    }
    if (hasFile) {
      throw ApiException.invalid(path + ".file_id", "unsupported_value", "Unsupported parameter '" + path
          + ".file_id': this server has no Files API; send the image as an http(s) or data URL in 'image_url'.");
    }
    String url = requiredString(part, "image_url", path + ".image_url");
    if (!RemoteImage.accepts(url)) {
      throw ApiException.invalid(path + ".image_url", "invalid_image_url", "Invalid image URL at '" + path
          + ".image_url': expected an http(s) URL or a data URL (data:<mime>;base64,<payload>), got '"
          + (url.length() > 40 ? url.substring(0, 40) + "..." : url) + "'.");
    }
    String detail = optionalString(part, "detail", path + ".detail");
    if (detail != null && !DETAILS.contains(detail)) {
      throw invalidValue(path + ".detail", detail, DETAILS);
    }
  }

  private static ObjectNode metadata(JsonNode node) throws ApiException {
    if (node == null || node.isNull()) {
      return NODES.objectNode();
    }
    if (!node.isObject()) {
      throw wrongType("metadata", "an object", node);
    }
    if (node.size() > MAX_METADATA_KEYS) {
      throw ApiException.invalid("metadata", "invalid_value",
          "Invalid 'metadata': too many keys, at most " + MAX_METADATA_KEYS + " allowed, got " + node.size() + ".");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().length() > MAX_METADATA_KEY_CHARS) {
        throw ApiException.invalid("metadata", "invalid_value", "Invalid 'metadata': key '" + e.getKey()
            + "' is longer than " + MAX_METADATA_KEY_CHARS + " characters.");
      }
      if (!e.getValue().isTextual()) {
        throw wrongType("metadata." + e.getKey(), "a string", e.getValue());
      }
      if (e.getValue().asText().length() > MAX_METADATA_VALUE_CHARS) {
        throw ApiException.invalid("metadata." + e.getKey(), "invalid_value", "Invalid 'metadata." + e.getKey()
            + "': value is longer than " + MAX_METADATA_VALUE_CHARS + " characters.");
      }
    }
    return node.deepCopy();
  }

  private static String requiredString(JsonNode parent, String field) throws ApiException {
    return requiredString(parent, field, field);
  }

  private static String requiredString(JsonNode parent, String field, String path) throws ApiException {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      throw missing(path);
    }
    if (!v.isTextual()) {
      throw wrongType(path, "a string", v);
    }
    return v.asText();
  }

  private static String optionalString(JsonNode parent, String field) throws ApiException {
    return optionalString(parent, field, field);
  }

  private static String optionalString(JsonNode parent, String field, String path) throws ApiException {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw wrongType(path, "a string", v);
    }
    return v.asText();
  }

  private static boolean optionalBoolean(JsonNode parent, String field, boolean fallback) throws ApiException {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw wrongType(field, "a boolean", v);
    }
    return v.asBoolean();
  }

  private static Integer optionalInt(JsonNode parent, String field, int min) throws ApiException {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw wrongType(field, "an integer", v);
    }
    if (v.intValue() < min) {
      throw ApiException.invalid(field, "integer_below_min_value", "Invalid '" + field + "': integer below minimum value. "
          + "Expected a value >= " + min + ", but got " + v.intValue() + " instead.");
    }
    return v.intValue();
  }

  private static JsonNode optionalNumber(JsonNode parent, String field) throws ApiException {
    JsonNode v = parent.get(field);
    if (v != null && !v.isNull() && !v.isNumber()) {
      throw wrongType(field, "a number", v);
    }
    return v;
  }

  private static JsonNode orNull(JsonNode v) {
    return v == null ? NODES.nullNode() : v;
  }

  static ApiException missing(String path) {
    return ApiException.invalid(path, "missing_required_parameter", "Missing required parameter: '" + path + "'.");
  }

  static ApiException wrongType(String path, String expected, JsonNode got) {
    return ApiException.invalid(path, "invalid_type",
        "Invalid type for '" + path + "': expected " + expected + ", but got " + typeName(got) + " instead.");
  }

  private static ApiException invalidValue(String path, String value, List<String> supported) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < supported.size(); i++) {
      list.append(i == 0 ? "" : i == supported.size() - 1 ? " and " : ", ").append('\'').append(supported.get(i)).append('\'');
    }
    return ApiException.invalid(path, "invalid_value",
        "Invalid value for '" + path + "': '" + value + "'. Supported values are: " + list + ".");
  }

  private static String typeName(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "null";
    }
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isIntegralNumber()) {
      return "an integer";
    }
    if (v.isNumber()) {
      return "a decimal";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return v.isArray() ? "an array" : "an object";
  }
}
