package dev.loupe.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A client's own Chat Completions body, to be answered by the backend's model as it stands: its
 * functions, sampling and thinking fields included. A protocol sends it when the request offers no
 * {@code image_search} and the backend {@linkplain Capabilities#clientTools() takes it}; the backend
 * then reports the answer as events ({@link RunEvent.TextDelta}, {@link RunEvent.ReasoningDelta},
 * {@link RunEvent.FunctionCallRequested}) like any other turn.
 *
 * @param body the body, its images already at the size billed; the backend sets {@code model} and
 *     streaming itself and never changes the caller's copy
 * @param promptTokens the prompt's tokens as the protocol estimated them (text, images and video
 *     frames), reported when the model's server reports no usage
 */
public record Passthrough(ObjectNode body, int promptTokens) {
  public Passthrough {
    Objects.requireNonNull(body, "body");
    body = body.deepCopy();
    if (promptTokens < 0) {
      throw new IllegalArgumentException("promptTokens must not be negative, got: " + promptTokens);
    }
  }

  @Override
  public ObjectNode body() {
    return body.deepCopy();
  }
}
