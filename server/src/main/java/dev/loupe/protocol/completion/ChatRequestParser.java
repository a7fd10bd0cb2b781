package dev.loupe.protocol.completion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.protocol.ApiException;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.video.VideoLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validates a {@code POST /chat/completions} body into a {@link ChatRequest} (contract 6.1).
 * Unknown fields are ignored and sampling fields ({@code temperature}, {@code top_p}, {@code seed},
 * {@code stop}, …) are not checked here: an upstream checks what it uses (STYLE, "Accept what
 * compatible clients send"). What Loupe itself reads is checked, with the field's path in {@code
 * param}.
 */
final class ChatRequestParser {
  private static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool");

  private ChatRequestParser() {}

  static ChatRequest parse(ObjectNode body) throws ApiException {
    String model = string(body, "model", true);
    boolean stream = bool(body, "stream");
    JsonNode options = body.path("stream_options");
    boolean includeUsage = options.isObject() && bool((ObjectNode) options, "include_usage", "stream_options.include_usage");
    Integer maxTokens = positiveInt(body, "max_tokens");
    if (maxTokens == null) {
      maxTokens = positiveInt(body, "max_completion_tokens");
    }
    JsonNode n = body.path("n");
    if (!n.isMissingNode() && !n.isNull() && !(n.isIntegralNumber() && n.asInt() == 1)) {
      throw ApiException.invalid("n", "invalid_value", "Invalid value for 'n': only 1 choice is supported, got: " + n + ".");
    }
    bool(body, "enable_thinking");
    positiveInt(body, "thinking_budget");
    boolean highResolution = bool(body, "vl_high_resolution_images");
    boolean imageSearch = false;
    JsonNode tools = body.path("tools");
    if (!tools.isMissingNode() && !tools.isNull()) {
      if (!tools.isArray()) {
        throw wrongType("tools", "an array", tools);
      }
      for (int i = 0; i < tools.size(); i++) {
        String type = tools.get(i).path("type").asText("");
        switch (type) {
          case ImageSearchTool.NAME -> imageSearch = true;
          case "function" -> { } // passed upstream as is
          default -> throw ApiException.invalid("tools[" + i + "].type", "invalid_value", "Invalid value for 'tools["
              + i + "].type': '" + type + "'. Supported values are: 'function' and 'image_search'.");
        }
      }
    }
    JsonNode messages = body.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw ApiException.invalid("messages", messages.isArray() ? "empty_array" : "missing_required_parameter",
          "'messages' must be a non-empty array of messages.");
    }
    List<ChatImage> images = new ArrayList<>();
    List<ChatVideo> videos = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      message(messages.get(i), i, images, videos);
    }
    return new ChatRequest(body, model, stream, includeUsage, maxTokens, imageSearch, highResolution, images,
        videos);
  }

  private static void message(JsonNode message, int i, List<ChatImage> images, List<ChatVideo> videos)
      throws ApiException {
    String path = "messages[" + i + "]";
    if (!message.isObject()) {
      throw wrongType(path, "an object", message);
    }
    String role = message.path("role").asText("");
    if (!ROLES.contains(role)) {
      throw ApiException.invalid(path + ".role", "invalid_value", "Invalid value for '" + path + ".role': '" + role
          + "'. Supported values are: " + String.join(", ", ROLES.stream().map(r -> "'" + r + "'").toList()) + ".");
    }
    JsonNode content = message.path("content");
    if (content.isMissingNode() || content.isNull() || content.isTextual()) {
      if ((content.isMissingNode() || content.isNull()) && !role.equals("assistant")) {
        throw ApiException.invalid(path + ".content", "missing_required_parameter",
            "Missing required parameter: '" + path + ".content'.");
      }
      return;
    }
    if (!content.isArray()) {
      throw wrongType(path + ".content", "a string or an array of parts", content);
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String where = path + ".content[" + j + "]";
      String type = part.path("type").asText("");
      switch (type) {
        case "text" -> {
          if (!part.path("text").isTextual()) {
            throw wrongType(where + ".text", "a string", part.path("text"));
          }
        }
        case "image_url" -> images.add(image(part, i, j, where));
        case "video" -> videos.add(frameList(part, i, j, where));
        case "video_url" -> videos.add(videoFile(part, i, j, where));
        case "input_audio", "file" -> throw ApiException.invalid(where + ".type", "unsupported_value",
            "Unsupported content type '" + type + "' at '" + where
            + "': this server accepts text, image_url, video_url and video parts.");
        default -> throw ApiException.invalid(where + ".type", "invalid_value", "Invalid value for '" + where
            + ".type': '" + type + "'. Supported values are: 'text', 'image_url', 'video_url' and 'video'.");
      }
    }
  }

  private static ChatImage image(JsonNode part, int i, int j, String where) throws ApiException {
    JsonNode ref = part.path("image_url");
    // OpenAI's shape is {"url": ...}; a bare string is what some clients send, so take it too.
    String url = ref.isTextual() ? ref.asText() : ref.path("url").isTextual() ? ref.get("url").asText() : null;
    if (url == null) {
      throw ApiException.invalid(where + ".image_url", "invalid_image_url",
          "Missing image URL at '" + where + ".image_url.url'.");
    }
    if (!RemoteImage.accepts(url)) {
      // Refused here with the path of the field; the image is read as a RemoteImage anyway.
      throw ApiException.invalid(where + ".image_url", "invalid_image_url", "Invalid image URL at '" + where
          + ".image_url': expected an http(s) URL or a data URL (data:<mime>;base64,<payload>), got '"
          + (url.length() > 40 ? url.substring(0, 40) + "..." : url) + "'.");
    }
    return new ChatImage(i, j, url, pixels(part, "max_pixels", where), pixels(part, "min_pixels", where));
  }

  private static ChatVideo frameList(JsonNode part, int i, int j, String where) throws ApiException {
    JsonNode list = part.path("video");
    if (!list.isArray()) {
      throw wrongType(where + ".video", "an array of frame image URLs", list);
    }
    List<String> frames = new ArrayList<>();
    for (int k = 0; k < list.size(); k++) {
      if (!list.get(k).isTextual()) {
        throw wrongType(where + ".video[" + k + "]", "an image URL string", list.get(k));
      }
      frames.add(checkUrl(list.get(k).asText(), where + ".video[" + k + "]", "invalid_image_url", "image"));
    }
    return new ChatVideo(i, j, frames, null, fps(part, where));
  }

  private static ChatVideo videoFile(JsonNode part, int i, int j, String where) throws ApiException {
    JsonNode ref = part.path("video_url");
    // As for image_url: {"url": ...} is the documented shape, a bare string is accepted too.
    String url = ref.isTextual() ? ref.asText() : ref.path("url").isTextual() ? ref.get("url").asText() : null;
    if (url == null) {
      throw ApiException.invalid(where + ".video_url", "invalid_video_url",
          "Missing video URL at '" + where + ".video_url.url'.");
    }
    return new ChatVideo(i, j, null, checkUrl(url, where + ".video_url", "invalid_video_url", "video"),
        fps(part, where));
  }

  private static String checkUrl(String url, String path, String code, String what) throws ApiException {
    if (!RemoteImage.accepts(url)) {
      // Refused here with the path of the field; the video is read as a RemoteImage anyway.
      throw ApiException.invalid(path, code, "Invalid " + what + " URL at '" + path
          + "': expected an http(s) URL or a data URL (data:<mime>;base64,<payload>), got '"
          + (url.length() > 40 ? url.substring(0, 40) + "..." : url) + "'.");
    }
    return url;
  }

  private static double fps(JsonNode part, String where) throws ApiException {
    JsonNode v = part.path("fps");
    if (v.isMissingNode() || v.isNull()) {
      return VideoLimits.DEFAULT_FPS;
    }
    if (!v.isNumber() || !(v.asDouble() >= VideoLimits.MIN_FPS && v.asDouble() <= VideoLimits.MAX_FPS)) {
      throw ApiException.invalid(where + ".fps", "invalid_value", "Invalid value for '" + where + ".fps': expected a"
          + " number between " + VideoLimits.MIN_FPS + " and " + VideoLimits.MAX_FPS + ", got: " + v + ".");
    }
    return v.asDouble();
  }

  private static Long pixels(JsonNode part, String field, String where) throws ApiException {
    JsonNode v = part.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
      throw ApiException.invalid(where + "." + field, "invalid_value", "Invalid value for '" + where + "." + field
          + "': expected a positive integer, got: " + v + ".");
    }
    return v.asLong();
  }

  private static String string(ObjectNode body, String field, boolean required) throws ApiException {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      if (required) {
        throw ApiException.invalid(field, "missing_required_parameter", "Missing required parameter: '" + field + "'.");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw wrongType(field, "a non-empty string", v);
    }
    return v.asText();
  }

  private static boolean bool(ObjectNode body, String field) throws ApiException {
    return bool(body, field, field);
  }

  private static boolean bool(ObjectNode body, String field, String path) throws ApiException {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw wrongType(path, "a boolean", v);
    }
    return v.asBoolean();
  }

  private static Integer positiveInt(ObjectNode body, String field) throws ApiException {
    JsonNode v = body.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
      throw ApiException.invalid(field, "invalid_value", "Invalid value for '" + field
          + "': expected an integer of at least 1, got: " + v + ".");
    }
    return v.asInt();
  }

  private static ApiException wrongType(String path, String expected, JsonNode got) {
    return ApiException.invalid(path, "invalid_type", "Invalid type for '" + path + "': expected " + expected
        + ", but got " + got.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
  }
}
