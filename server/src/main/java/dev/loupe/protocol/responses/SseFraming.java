package dev.loupe.protocol.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * The exact bytes of Responses SSE (contract 3.1): {@code event: <type>\ndata: <JSON on one
 * line>\n\n}, comments as {@code : <text>\n\n}. No {@code [DONE]} line: Responses streams end at
 * the terminal event. Serve with {@code Content-Type: text/event-stream}.
 */
public final class SseFraming {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SseFraming() {}

  /** {@code event: <type>\ndata: <json>\n\n} in UTF-8. Jackson escapes line breaks in strings, so the JSON is one line. */
  public static byte[] event(ResponseStreamEvent event) {
    try {
      return ("event: " + event.type() + "\ndata: " + JSON.writeValueAsString(event.data()) + "\n\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a " + event.type() + " event", e);
    }
  }

  /** {@code : <text>\n\n}; line breaks in {@code text} are replaced by spaces to keep it one comment. */
  public static byte[] comment(String text) {
    return (": " + text.replace('\r', ' ').replace('\n', ' ') + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
