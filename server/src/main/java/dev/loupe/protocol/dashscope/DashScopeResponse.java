package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A finished non-streaming generation.
 *
 * @param body {@code {output, usage, request_id}} (contract 7.2)
 * @param partial whether an upstream timed out mid-answer; the HTTP layer then adds {@code
 *     x-dashscope-partialresponse: true} (7.2)
 */
public record DashScopeResponse(ObjectNode body, boolean partial) {
  public DashScopeResponse {
    Objects.requireNonNull(body, "body");
  }
}
