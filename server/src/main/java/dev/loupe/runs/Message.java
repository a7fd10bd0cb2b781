package dev.loupe.runs;

import java.util.List;
import java.util.Objects;

/** A message: instructions, the user's text and images, or an earlier answer. */
public record Message(Role role, List<ContentPart> content) implements ConversationItem {
  public Message {
    Objects.requireNonNull(role, "role");
    content = List.copyOf(content);
  }

  /** The text parts joined by newlines. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof TextPart(String text)) {
        if (!sb.isEmpty()) {
          sb.append('\n');
        }
        sb.append(text);
      }
    }
    return sb.toString();
  }

  /** The image parts in order. */
  public List<ImagePart> images() {
    return content.stream().filter(ImagePart.class::isInstance).map(ImagePart.class::cast).toList();
  }
}
