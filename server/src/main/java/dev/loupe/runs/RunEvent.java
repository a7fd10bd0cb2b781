package dev.loupe.runs;

import dev.loupe.tools.ImageSearchResult;
import java.util.Objects;

/**
 * What happened in a turn, in order. {@link ResponseRun} guarantees the shape of every stream:
 * {@link Created}, {@link InProgress}, then the backend's events, then exactly one terminal event
 * ({@link Completed}, {@link Incomplete} or {@link Failed}) and nothing after it.
 *
 * <p>Backends emit a tool call as {@link ToolCallStarted}, {@link ToolCallSearching}, {@link
 * ToolCallCompleted}; a message as {@link MessageStarted}, one or more {@link TextDelta}s, {@link
 * MessageDone}; reasoning as {@link ReasoningDelta}s; a call of a client function as {@link
 * FunctionCallRequested}; and one {@link UsageReported} before they return.
 */
public sealed interface RunEvent {
  /** The turn was accepted. */
  record Created() implements RunEvent {}

  /** The model started working. */
  record InProgress() implements RunEvent {}

  /** A built-in tool call began; {@code callId} is unique in the turn. */
  record ToolCallStarted(String callId, String tool) implements RunEvent {
    public ToolCallStarted {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(tool, "tool");
    }
  }

  /** The tool is fetching and searching; a good moment for a heartbeat, nothing for the wire. */
  record ToolCallSearching(String callId) implements RunEvent {}

  /** The call finished with these hits. */
  record ToolCallCompleted(String callId, ImageSearchResult result) implements RunEvent {
    public ToolCallCompleted {
      Objects.requireNonNull(callId, "callId");
      Objects.requireNonNull(result, "result");
    }
  }

  /** An assistant message began. */
  record MessageStarted(String messageId) implements RunEvent {}

  /** The next piece of the message's text. */
  record TextDelta(String messageId, String delta) implements RunEvent {}

  /**
   * The message is complete.
   *
   * @param text the whole text, equal to the concatenated deltas
   * @param truncated whether {@code max_output_tokens} cut it short
   */
  record MessageDone(String messageId, String text, boolean truncated) implements RunEvent {}

  /** The next piece of the model's reasoning, before its answer (thinking mode). */
  record ReasoningDelta(String delta) implements RunEvent {
    public ReasoningDelta {
      Objects.requireNonNull(delta, "delta");
    }
  }

  /**
   * The model asks the client to run one of the client's own functions; the turn then ends and
   * the client sends the result back in its next request. Only after a {@link Passthrough}.
   */
  record FunctionCallRequested(FunctionCall call) implements RunEvent {
    public FunctionCallRequested {
      Objects.requireNonNull(call, "call");
    }
  }

  /** The turn's token and tool counts. */
  record UsageReported(Usage usage) implements RunEvent {}

  /** Normal end. */
  record Completed() implements RunEvent {}

  /**
   * Cut short; {@code reason} is {@code max_output_tokens}, {@code content_filter}, or {@code
   * upstream_timeout} when the model's server fell silent mid-answer and what it wrote is kept.
   */
  record Incomplete(String reason) implements RunEvent {}

  /**
   * The turn failed after it was accepted.
   *
   * @param kind what failed, for the protocol to answer: a request not yet answered gets the
   *     status its protocol gives an upstream kind; otherwise the failure belongs in the response
   * @param code an OpenAI error code (contract 8.1) for the response's {@code error.code}: {@code
   *     server_error} or an image code
   * @param message shown to the caller; never an internal exception's own message
   */
  record Failed(FailureKind kind, String code, String message) implements RunEvent {
    public Failed {
      java.util.Objects.requireNonNull(kind, "kind");
      java.util.Objects.requireNonNull(code, "code");
      java.util.Objects.requireNonNull(message, "message");
    }
  }
}
