package dev.loupe.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.ContentPart;
import dev.loupe.runs.ConversationItem;
import dev.loupe.runs.FunctionCall;
import dev.loupe.runs.FunctionCallOutput;
import dev.loupe.runs.ImagePart;
import dev.loupe.runs.ImageSearchCall;
import dev.loupe.runs.Message;
import dev.loupe.runs.Role;
import dev.loupe.runs.TextPart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns normalised wire items (see {@link ResponsesRequestParser#item}) into what a model sees. */
final class ConversationItems {
  private ConversationItems() {}

  /**
   * The field a stored conversation's {@code input_image} parts carry their tokens in, so that a
   * later turn bills an earlier image as its own turn did. Only in the stored conversation (never
   * in {@code input_items} or a Response); taken out before the item is parsed again.
   */
  static final String STORED_TOKENS = "loupe_image_tokens";

  static List<ConversationItem> of(List<ObjectNode> items) {
    return of(items, Map.of());
  }

  /** A copy of {@code item} whose {@code input_image} parts counted in {@code tokens} carry their count. */
  static ObjectNode withStoredTokens(ObjectNode item, Map<String, Integer> tokens) {
    ObjectNode copy = item.deepCopy();
    for (JsonNode part : copy.path("content")) {
      Integer count = tokens.get(part.path("image_url").asText());
      if (part.path("type").asText().equals("input_image") && count != null && count > 0) {
        ((ObjectNode) part).put(STORED_TOKENS, count);
      }
    }
    return copy;
  }

  /** A copy of a stored {@code item} without the counts, which go into {@code tokens} by URL. */
  static JsonNode takeStoredTokens(JsonNode item, Map<String, Integer> tokens) {
    JsonNode copy = item.deepCopy();
    for (JsonNode part : copy.path("content")) {
      if (part instanceof ObjectNode o && o.path(STORED_TOKENS).canConvertToInt()) {
        tokens.put(o.path("image_url").asText(), o.remove(STORED_TOKENS).asInt());
      }
    }
    return copy;
  }

  /**
   * @param imageTokens the tokens of the images the protocol counted, by URL; an image not in it is
   *     billed at {@link dev.loupe.runs.TokenCounter#IMAGE_TOKENS}
   */
  static List<ConversationItem> of(List<ObjectNode> items, Map<String, Integer> imageTokens) {
    List<ConversationItem> out = new ArrayList<>(items.size());
    for (ObjectNode item : items) {
      out.add(of(item, imageTokens));
    }
    return out;
  }

  static ConversationItem of(ObjectNode item) {
    return of(item, Map.of());
  }

  private static ConversationItem of(ObjectNode item, Map<String, Integer> imageTokens) {
    return switch (item.path("type").asText("message")) {
      case "function_call_output" -> new FunctionCallOutput(item.path("call_id").asText(),
          item.get("output").isTextual() ? item.get("output").asText() : item.get("output").toString());
      case "function_call" -> new FunctionCall(item.path("call_id").asText(), item.path("name").asText(),
          item.path("arguments").asText());
      case "image_search_call" -> new ImageSearchCall(item.path("id").asText(null),
          item.path("output").isTextual() ? item.path("output").asText() : null);
      default -> {
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode part : item.path("content")) {
          switch (part.path("type").asText()) {
            case "input_text", "output_text" -> parts.add(new TextPart(part.path("text").asText()));
            case "input_image" -> {
              String url = part.path("image_url").asText();
              parts.add(new ImagePart(url, part.path("detail").asText("auto"), imageTokens.getOrDefault(url, 0)));
            }
            default -> { } // refusals carry no content a model reuses
          }
        }
        yield new Message(Role.valueOf(item.path("role").asText().toUpperCase(Locale.ROOT)), parts);
      }
    };
  }
}
