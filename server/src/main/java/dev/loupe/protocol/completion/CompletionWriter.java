package dev.loupe.protocol.completion;

import dev.loupe.protocol.ApiException;
import dev.loupe.runs.FunctionCall;
import java.util.List;

/**
 * Where {@link CompletionCall#run} puts one completion, whatever the wire: Chat Completions chunks or
 * objects ({@code ChatOutput}, contract 6), DashScope native results ({@code
 * dev.loupe.protocol.dashscope}, contract 7). The call makes the same calls in the same order
 * whichever backend answers: {@link #reasoning} and {@link #content} pieces, maybe {@link
 * #toolCalls}, then exactly one {@link #end}; or {@link #fail} once something was {@link
 * #started()}. Used by one thread.
 *
 * <p>A writer that streams and meets an {@link java.io.IOException} (the client went away) throws it
 * wrapped in {@link java.io.UncheckedIOException}; that stops the completion.
 */
public interface CompletionWriter {
  /** Whether anything has been written, so a failure can no longer be an HTTP status. */
  boolean started();

  /** A piece of the model's reasoning ({@code reasoning_content}), in thinking mode. */
  void reasoning(String piece);

  /** A piece of the answer. */
  void content(String piece);

  /** The function calls the model asked for, once, before {@link #end}; often empty. */
  void toolCalls(List<FunctionCall> calls);

  /**
   * The completion ended.
   *
   * @param finishReason {@code stop}, {@code length}, {@code tool_calls} or what an upstream said
   */
  void end(String finishReason, CompletionTokens usage);

  /**
   * The prompt's tokens, once the model has counted them and before it writes (the builtin model
   * counts before it answers): a wire that shows a running usage shows this from then on, so that
   * its input count does not move within a stream.
   */
  default void inputCounted(int promptTokens) { }

  /**
   * The completion failed after {@link #started()}: the stream's last event (contract 6.3, 7.4).
   *
   * @param failure what the request would have answered had nothing been sent yet
   */
  void fail(ApiException failure);
}
