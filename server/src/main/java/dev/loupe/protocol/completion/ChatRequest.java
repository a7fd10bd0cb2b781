package dev.loupe.protocol.completion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A validated {@code POST /chat/completions} body (contract 6.1).
 *
 * @param body the body as sent, for fields passed upstream unchanged ({@code temperature}, {@code
 *     top_p}, {@code stop}, …); never modified
 * @param model the requested model
 * @param stream {@code "stream": true}
 * @param includeUsage {@code stream_options.include_usage}
 * @param maxTokens {@code max_tokens}, else {@code max_completion_tokens}, else null
 * @param imageSearch whether {@code tools} holds {@code {"type": "image_search"}}
 * @param highResolution {@code vl_high_resolution_images}
 * @param images every {@code image_url} part, in message order
 * @param videos every {@code video} and {@code video_url} part, in message order
 */
public record ChatRequest(ObjectNode body, String model, boolean stream, boolean includeUsage, Integer maxTokens,
    boolean imageSearch, boolean highResolution, List<ChatImage> images, List<ChatVideo> videos) {
  public ChatRequest {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(model, "model");
    images = List.copyOf(images);
    videos = List.copyOf(videos);
  }
}
