package dev.loupe.protocol.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A finished non-streaming completion.
 *
 * @param body the {@code chat.completion} object (contract 6.2)
 * @param partial whether the upstream timed out after writing part of the answer; the HTTP layer
 *     then adds {@code x-dashscope-partialresponse: true}, as the hosted service does (seed 003)
 */
public record ChatCompletion(ObjectNode body, boolean partial) {
  public ChatCompletion {
    Objects.requireNonNull(body, "body");
  }
}
