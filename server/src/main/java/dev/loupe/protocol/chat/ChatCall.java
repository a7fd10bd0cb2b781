package dev.loupe.protocol.chat;

import dev.loupe.protocol.ApiException;
import dev.loupe.protocol.completion.CompletionCall;
import dev.loupe.runs.ResponseRun;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One accepted Chat Completions request, its images read: {@link ChatCompletionsService#prepare}
 * made it. Run it once, with {@link #stream} when {@link #streaming()}, else with {@link #await};
 * both block the calling thread until the completion ends.
 */
public final class ChatCall {
  private final CompletionCall call;
  private final String id = "chatcmpl-" + ResponseRun.newId("c").substring(2);

  ChatCall(CompletionCall call) {
    this.call = call;
  }

  /** Whether the body said {@code "stream": true}. */
  public boolean streaming() {
    return call.request().stream();
  }

  /** The completion's id, {@code chatcmpl-…}, the same in every chunk. */
  public String id() {
    return id;
  }

  /**
   * Runs without streaming.
   *
   * @throws ApiException 502/504 when the upstream failed (so the SDK can retry), 400 for an image the
   *     tool could not read, 500 otherwise
   */
  public ChatCompletion await() throws ApiException {
    ChatOutput out = new ChatOutput(id, call.created(), call.request().model(), null, false, thinking());
    boolean partial = call.run(out);
    return new ChatCompletion(out.completion(), partial);
  }

  /**
   * Streams chunks to {@code sink}, ending with {@code data: [DONE]}, or with one error event when
   * the completion fails after its first chunk (contract 6.3).
   *
   * @throws ApiException when it fails before the first chunk: nothing was written, answer with HTTP
   * @throws IOException from the sink
   */
  public void stream(ChatSink sink) throws ApiException, IOException {
    ChatOutput out = new ChatOutput(id, call.created(), call.request().model(), sink, call.request().includeUsage(),
        thinking());
    try {
      call.run(out);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private boolean thinking() {
    return call.request().body().path("enable_thinking").asBoolean(false);
  }
}
