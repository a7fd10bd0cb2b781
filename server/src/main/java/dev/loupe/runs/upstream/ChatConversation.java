package dev.loupe.runs.upstream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.ContentPart;
import dev.loupe.runs.ConversationItem;
import dev.loupe.runs.FunctionCall;
import dev.loupe.runs.FunctionCallOutput;
import dev.loupe.runs.ImagePart;
import dev.loupe.runs.ImageSearchCall;
import dev.loupe.runs.Message;
import dev.loupe.runs.RunRequest;
import dev.loupe.runs.TextPart;
import dev.loupe.runs.TokenCounter;
import dev.loupe.tools.ImageSearchTool;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat {@code messages} of one turn, growing as rounds add tool calls and their results.
 *
 * <p>Mapping: the instructions become the first {@code system} message; system and developer
 * messages become {@code system} (not every compatible server knows {@code developer}); user
 * messages keep their text and images as {@code text} and {@code image_url} parts, data and http(s)
 * URLs passed through unchanged; earlier answers become {@code assistant} messages; an earlier
 * {@code image_search} call becomes an assistant {@code tool_calls} message and its {@code role:
 * tool} result, so the model sees what it already found. Images are numbered across the whole
 * conversation, history first, in the order given: {@code image_index} refers to that number.
 * Used by one thread.
 */
final class ChatConversation {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ArrayNode messages = NODES.arrayNode();
  private final List<String> images = new ArrayList<>();
  private final String userText;

  private ChatConversation(String userText) {
    this.userText = userText;
  }

  /** The conversation of {@code request}: instructions, history, then the new input. */
  static ChatConversation of(RunRequest request) {
    StringBuilder userText = new StringBuilder();
    for (ConversationItem item : request.input()) {
      if (item instanceof Message m && m.role() == dev.loupe.runs.Role.USER && !m.text().isBlank()) {
        userText.append(userText.isEmpty() ? "" : "\n").append(m.text());
      }
    }
    ChatConversation c = new ChatConversation(userText.toString().strip());
    if (request.instructions() != null && !request.instructions().isBlank()) {
      c.messages.addObject().put("role", "system").put("content", request.instructions());
    }
    for (List<ConversationItem> items : List.of(request.history(), request.input())) {
      for (ConversationItem item : items) {
        c.add(item);
      }
    }
    return c;
  }

  private void add(ConversationItem item) {
    switch (item) {
      case Message m -> {
        switch (m.role()) {
          case SYSTEM, DEVELOPER -> messages.addObject().put("role", "system").put("content", m.text());
          case ASSISTANT -> messages.addObject().put("role", "assistant").put("content", m.text());
          case USER -> {
            ObjectNode message = messages.addObject().put("role", "user");
            ArrayNode content = message.putArray("content");
            for (ContentPart part : m.content()) {
              switch (part) {
                case TextPart(String text) -> content.addObject().put("type", "text").put("text", text);
                case ImagePart image -> {
                  images.add(image.url());
                  ObjectNode url = content.addObject().put("type", "image_url").putObject("image_url")
                      .put("url", image.url());
                  // OpenAI's detail values are low, high and auto; "original" is Responses-only.
                  if (!image.detail().equals("original")) {
                    url.put("detail", image.detail());
                  }
                }
              }
            }
          }
        }
      }
      case ImageSearchCall call -> {
        if (call.output() != null) { // an unfinished call has nothing to show the model
          addToolCall(call.id(), ImageSearchTool.NAME, "{}");
          addToolResult(call.id(), call.output());
        }
      }
      case FunctionCall f -> addToolCall(f.callId(), f.name(), f.arguments());
      case FunctionCallOutput o -> addToolResult(o.callId(), o.output());
    }
  }

  /** Adds an assistant message with the round's text (or none) and its tool calls. */
  void addAssistant(String text, List<ChatToolCall> calls) {
    ObjectNode message = messages.addObject().put("role", "assistant");
    if (text.isEmpty()) {
      message.putNull("content");
    } else {
      message.put("content", text);
    }
    ArrayNode list = message.putArray("tool_calls");
    for (ChatToolCall call : calls) {
      list.addObject().put("id", call.id()).put("type", "function").putObject("function")
          .put("name", call.name()).put("arguments", call.arguments());
    }
  }

  private void addToolCall(String id, String name, String arguments) {
    addAssistant("", List.of(new ChatToolCall(id, name, arguments == null ? "{}" : arguments)));
  }

  /** Adds a {@code role: tool} message answering the call {@code callId}. */
  void addToolResult(String callId, String content) {
    messages.addObject().put("role", "tool").put("tool_call_id", callId).put("content", content);
  }

  /** The messages so far; the live list, copy it before changing it. */
  ArrayNode messages() {
    return messages;
  }

  /** Every user image URL, in order: {@code image_index} 1 is the first. */
  List<String> images() {
    return List.copyOf(images);
  }

  /** The user's text of this turn, or an empty string. */
  String userText() {
    return userText;
  }

  /**
   * An estimate of the prompt's tokens, for servers that report no usage: every text with {@link
   * TokenCounter}, {@link TokenCounter#IMAGE_TOKENS} per image.
   */
  int estimateTokens() {
    int tokens = 0;
    for (var message : messages) {
      tokens += 4; // role and framing, about what OpenAI's chat format adds per message
      var content = message.path("content");
      if (content.isTextual()) {
        tokens += TokenCounter.count(content.asText());
      }
      for (var part : content) {
        tokens += part.path("type").asText().equals("image_url") ? TokenCounter.IMAGE_TOKENS
            : TokenCounter.count(part.path("text").asText(""));
      }
      for (var call : message.path("tool_calls")) {
        tokens += TokenCounter.count(call.path("function").path("arguments").asText(""));
      }
    }
    return tokens;
  }
}
