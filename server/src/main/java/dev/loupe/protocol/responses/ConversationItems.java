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

  static List<ConversationItem> of(List<ObjectNode> items) {
    return of(items, Map.of());
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
