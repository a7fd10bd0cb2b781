package dev.loupe.runs;

import java.util.Objects;

/** Text in a message. */
public record TextPart(String text) implements ContentPart {
  public TextPart {
    Objects.requireNonNull(text, "text");
  }
}
