package dev.loupe.protocol.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Where a streamed chat completion goes. The HTTP layer starts the {@code text/event-stream}
 * response on the first call, so that a failure before any chunk can still be an HTTP error, and
 * writes {@link ChatChunkFraming} bytes, flushing each. An {@link IOException} (the client went
 * away) stops the completion.
 */
public interface ChatSink {
  /** Writes one chunk (or the final error object). */
  void chunk(ObjectNode chunk) throws IOException;

  /** Writes {@code data: [DONE]}; nothing follows. */
  void done() throws IOException;
}
