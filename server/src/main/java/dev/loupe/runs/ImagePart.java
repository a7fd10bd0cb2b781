package dev.loupe.runs;

import java.util.Objects;

/**
 * An image in a message.
 *
 * @param url an http(s) or data URL, already checked by the protocol
 * @param detail {@code low}, {@code high}, {@code auto} or {@code original}
 */
public record ImagePart(String url, String detail) implements ContentPart {
  public ImagePart {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(detail, "detail");
  }
}
