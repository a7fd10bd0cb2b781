package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A validated native body (contract 7.1), translated.
 *
 * @param chatBody the Chat Completions body it means (contract 6.1): {@code input.messages} as
 *     {@code messages} with {@code text}/{@code image_url} parts, {@code parameters} at top level
 * @param stream whether the request carried {@code X-DashScope-SSE: enable} (contract 1.3)
 * @param incremental {@code parameters.incremental_output}, default false (contract 7.3)
 * @param thinking {@code parameters.enable_thinking}
 * @param textTokens an estimate of the prompt's text tokens, for the running usage of a stream
 */
record DashScopeRequest(ObjectNode chatBody, boolean stream, boolean incremental, boolean thinking, int textTokens) {
  DashScopeRequest {
    Objects.requireNonNull(chatBody, "chatBody");
  }
}
