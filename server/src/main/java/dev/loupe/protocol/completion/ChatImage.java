package dev.loupe.protocol.completion;

import java.util.Objects;

/**
 * One {@code image_url} part of a request, where it sits and its own pixel bounds (contract 6.1).
 *
 * @param message the index in {@code messages}
 * @param part the index in that message's {@code content}
 * @param url an http(s) or data URL
 * @param maxPixels the part's {@code max_pixels}, or null
 * @param minPixels the part's {@code min_pixels}, or null
 */
public record ChatImage(int message, int part, String url, Long maxPixels, Long minPixels) {
  public ChatImage {
    Objects.requireNonNull(url, "url");
  }

  /** The request field, for error envelopes: {@code messages[0].content[1].image_url}. */
  public String param() {
    return "messages[" + message + "].content[" + part + "].image_url";
  }
}
