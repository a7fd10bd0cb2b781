package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;
import dev.loupe.runs.TokenCounter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates a native body (contract 7.1) into the Chat Completions body it means (6.1), checking
 * the native structure with native paths in the messages. What the two protocols share (roles,
 * image values, pixel bounds, {@code max_tokens}, {@code tools}) is checked afterwards by the Chat
 * parser, once. Unknown keys are ignored (7.1).
 */
final class DashScopeRequestParser {
  /**
   * Parameters that only shape the native reply, not the generation: they stay here. The SDK
   * always sends {@code enable_search: false} (contract 7.1); {@code stream}, {@code model} and
   * {@code messages} are never taken from {@code parameters}.
   */
  private static final Set<String> NATIVE_ONLY = Set.of("incremental_output", "result_format", "enable_search",
      "vl_enable_image_hw_output", "stream", "stream_options", "model", "messages");

  private DashScopeRequestParser() {}

  static DashScopeRequest parse(ObjectNode body, boolean stream) throws ApiException {
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isBlank()) {
      throw DashScopeErrors.invalid(model.isMissingNode() || model.isNull()
          ? "Missing required parameter: 'model'." : "Invalid type for 'model': expected a non-empty string.");
    }
    JsonNode messages = body.path("input").path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw DashScopeErrors.invalid("'input.messages' must be a non-empty array of messages.");
    }
    JsonNode parameters = body.path("parameters");
    if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
      throw DashScopeErrors.invalid("Invalid type for 'parameters': expected an object.");
    }
    ObjectNode chat = JsonNodeFactory.instance.objectNode();
    chat.put("model", model.asText());
    chat.put("stream", stream);
    ArrayNode out = chat.putArray("messages");
    int textTokens = 0;
    for (int i = 0; i < messages.size(); i++) {
      textTokens += message(messages.get(i), "input.messages[" + i + "]", out);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = parameters.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      if (!NATIVE_ONLY.contains(p.getKey())) {
        chat.set(p.getKey(), p.getValue().deepCopy());
      }
    }
    return new DashScopeRequest(chat, stream, bool(parameters, "incremental_output"),
        bool(parameters, "enable_thinking"), textTokens);
  }

  /** @return the message's text tokens, plus 4 for its framing */
  private static int message(JsonNode message, String path, ArrayNode out) throws ApiException {
    if (!message.isObject()) {
      throw DashScopeErrors.invalid("Invalid type for '" + path + "': expected an object.");
    }
    ObjectNode copy = out.addObject();
    // role, tool_calls, tool_call_id, name: the Chat parser checks what it uses.
    message.properties().forEach(e -> {
      if (!e.getKey().equals("content")) {
        copy.set(e.getKey(), e.getValue().deepCopy());
      }
    });
    JsonNode content = message.path("content");
    int tokens = 4;
    if (content.isMissingNode() || content.isNull() || content.isTextual()) {
      // A plain string is what DashScope takes for system and tool messages.
      if (content.isTextual()) {
        copy.put("content", content.asText());
        tokens += TokenCounter.count(content.asText());
      }
      return tokens;
    }
    if (!content.isArray()) {
      throw DashScopeErrors.invalid("Invalid type for '" + path + ".content': expected a string or an array of"
          + " items such as {\"text\": ...} and {\"image\": ...}.");
    }
    ArrayNode parts = copy.putArray("content");
    for (int j = 0; j < content.size(); j++) {
      JsonNode item = content.get(j);
      String where = path + ".content[" + j + "]";
      if (item.has("video")) {
        parts.add(video(item, where));
      } else if (item.path("text").isTextual()) {
        parts.addObject().put("type", "text").put("text", item.get("text").asText());
        tokens += TokenCounter.count(item.get("text").asText());
      } else if (item.path("image").isTextual()) {
        parts.add(image(item, where));
      } else {
        throw DashScopeErrors.invalid("Invalid content item at '" + where + "': expected {\"text\": \"...\"},"
            + " {\"image\": \"<http(s) or data URL>\"} or {\"video\": <URL or list of frame URLs>}, got keys "
            + keys(item) + ".");
      }
    }
    return tokens;
  }

  private static ObjectNode image(JsonNode item, String where) throws ApiException {
    String url = item.get("image").asText();
    String lower = url.substring(0, Math.min(url.length(), 7)).toLowerCase(Locale.ROOT);
    if (lower.startsWith("oss://") || lower.startsWith("file://")) {
      // oss:// keys come from the SDK's local-file upload, which this server refuses at getPolicy (7.6).
      throw DashScopeErrors.invalid("Invalid image at '" + where + ".image': local files and oss:// resources"
          + " are not supported; pass an http(s) URL or a base64 data URL.");
    }
    ObjectNode part = JsonNodeFactory.instance.objectNode().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    for (String bound : new String[] {"max_pixels", "min_pixels"}) {
      if (item.has(bound)) {
        part.set(bound, item.get(bound).deepCopy()); // beside image_url, where Chat reads it (6.1)
      }
    }
    return part;
  }

  /**
   * {@code {"video": [urls]}} becomes a Chat {@code video} part, {@code {"video": "url"}} a {@code
   * video_url} part; {@code fps} stays beside it (6.1). The Chat parser and the video sampler check
   * the rest (frame count, URL schemes, fps range), so their limits read the same on both paths.
   */
  private static ObjectNode video(JsonNode item, String where) throws ApiException {
    JsonNode value = item.get("video");
    ObjectNode part = JsonNodeFactory.instance.objectNode();
    if (value.isArray()) {
      for (JsonNode frame : value) {
        if (frame.isTextual()) {
          refuseLocal(frame.asText(), where + ".video");
        }
      }
      part.put("type", "video").set("video", value.deepCopy());
    } else if (value.isTextual()) {
      refuseLocal(value.asText(), where + ".video");
      part.put("type", "video_url").putObject("video_url").put("url", value.asText());
    } else {
      throw DashScopeErrors.invalid("Invalid video at '" + where + ".video': expected a video URL or a list of"
          + " frame image URLs.");
    }
    if (item.has("fps")) {
      part.set("fps", item.get("fps").deepCopy());
    }
    return part;
  }

  private static void refuseLocal(String url, String where) throws ApiException {
    String lower = url.substring(0, Math.min(url.length(), 7)).toLowerCase(Locale.ROOT);
    if (lower.startsWith("oss://") || lower.startsWith("file://")) {
      throw DashScopeErrors.invalid("Invalid video at '" + where + "': local files and oss:// resources"
          + " are not supported; pass an http(s) URL or a base64 data URL.");
    }
  }

  private static boolean bool(JsonNode parameters, String field) throws ApiException {
    JsonNode v = parameters.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw DashScopeErrors.invalid("Invalid type for 'parameters." + field + "': expected a boolean, got: " + v + ".");
    }
    return v.asBoolean();
  }

  private static String keys(JsonNode item) {
    if (!item.isObject()) {
      return "none (" + item.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
    }
    List<String> names = new ArrayList<>();
    item.fieldNames().forEachRemaining(names::add);
    return names.toString();
  }
}
