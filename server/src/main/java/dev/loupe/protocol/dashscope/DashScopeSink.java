package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Where a streamed native generation goes. The HTTP layer starts the {@code text/event-stream}
 * response on the first call, so a failure before it can still be an HTTP error, and writes
 * {@link DashScopeSseFraming} bytes, numbering events from 1 and flushing each. An {@link
 * IOException} (the client went away) stops the generation.
 */
public interface DashScopeSink {
  /** One result chunk: the whole envelope, {@code output}, running {@code usage}, {@code request_id}. */
  void result(ObjectNode chunk) throws IOException;

  /** The stream's last event: {@code {code, message, request_id}} as {@code event:error}. */
  void error(int status, ObjectNode body) throws IOException;
}
