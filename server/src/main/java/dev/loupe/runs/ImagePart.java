package dev.loupe.runs;

import java.util.Objects;

/**
 * An image in a message.
 *
 * @param url an http(s) or data URL, already checked by the protocol
 * @param detail {@code low}, {@code high}, {@code auto} or {@code original}
 * @param tokens what the image costs on the request's model route, counted by the protocol from the
 *     image's size by the route's rule (the same on every endpoint); 0 when it was not counted
 */
public record ImagePart(String url, String detail, int tokens) implements ContentPart {
  public ImagePart {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(detail, "detail");
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must not be negative, got: " + tokens);
    }
  }

  /** An image whose tokens were not counted. */
  public ImagePart(String url, String detail) {
    this(url, detail, 0);
  }

  /** The tokens billed for it: {@link #tokens()}, else {@link TokenCounter#IMAGE_TOKENS}. */
  public int billedTokens() {
    return tokens > 0 ? tokens : TokenCounter.IMAGE_TOKENS;
  }
}
