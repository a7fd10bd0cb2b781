package dev.loupe.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;

/**
 * How a route writes a failure: the body of its error responses. A route's protocol chooses it where
 * the route is mounted ({@link ErrorEnvelopes#mount}); the plumbing knows only {@link #OPENAI}, the
 * default.
 */
@FunctionalInterface
public interface ErrorEnvelope {
  /**
   * OpenAI's envelope (contract 8.1): {@code {"error": {"message", "type", "param", "code"},
   * "request_id"}}, for the OpenAI protocols and the REST API alike.
   */
  ErrorEnvelope OPENAI = (failure, requestId) -> {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("error", failure.openAiError());
    body.put("request_id", requestId);
    return body;
  };

  /** The response body for {@code failure}. */
  ObjectNode body(ApiException failure, String requestId);
}
