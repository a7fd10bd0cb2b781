package dev.loupe.protocol.responses;

import java.io.IOException;

/**
 * Where a streaming response goes. The HTTP layer implements it by writing {@link SseFraming}
 * bytes and flushing. Calls never overlap: the service serialises events and heartbeats. An {@link
 * IOException} (the client went away) stops the response; nothing more is written.
 */
public interface EventSink {
  /** Writes one event; frame it with {@link SseFraming#event}. */
  void event(ResponseStreamEvent event) throws IOException;

  /** Writes an SSE comment, a heartbeat; frame it with {@link SseFraming#comment}. */
  void comment(String text) throws IOException;
}
