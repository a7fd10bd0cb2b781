package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.completion.CompletionCall;
import dev.loupe.protocol.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One accepted native request, its images read: {@link DashScopeService#prepare} made it. Run it
 * once, with {@link #stream} when {@link #streaming()}, else with {@link #await}; both block the
 * calling thread until the generation ends.
 */
public final class DashScopeCall {
  private final DashScopeRequest request;
  private final CompletionCall call;
  private final String requestId;

  DashScopeCall(DashScopeRequest request, CompletionCall call, String requestId) {
    this.request = request;
    this.call = call;
    this.requestId = requestId;
  }

  /** Whether the request carried {@code X-DashScope-SSE: enable}. */
  public boolean streaming() {
    return request.stream();
  }

  /**
   * Runs without streaming.
   *
   * @return the response object of contract 7.2
   * @throws ApiException with the status and (mostly OpenAI) code to put through {@link
   *     DashScopeErrors#body}
   */
  public DashScopeResponse await() throws ApiException {
    DashScopeOutput out = output(null);
    boolean partial = call.run(out);
    return new DashScopeResponse(out.response(), partial);
  }

  /**
   * Streams result chunks to {@code sink}; a failure after the first chunk is one {@code
   * event:error}, then the caller closes (contract 7.4).
   *
   * @throws ApiException when it fails before the first chunk: nothing was written, answer with HTTP
   * @throws IOException from the sink
   */
  public void stream(DashScopeSink sink) throws ApiException, IOException {
    try {
      call.run(output(sink));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private DashScopeOutput output(DashScopeSink sink) {
    return new DashScopeOutput(requestId, sink, request.incremental(), request.thinking(),
        request.textTokens() + call.imageTokens() + call.videoTokens(), call.imageTokens(), call.videoTokens());
  }
}
