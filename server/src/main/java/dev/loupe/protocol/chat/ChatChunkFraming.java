package dev.loupe.protocol.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The exact bytes of a Chat Completions stream (contract 6.3): {@code data: <JSON on one line>\n\n}
 * per chunk, and {@code data: [DONE]\n\n} at the end, which Chat has and Responses has not. Serve
 * with {@code Content-Type: text/event-stream}.
 */
public final class ChatChunkFraming {
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

  private ChatChunkFraming() {}

  /** {@code data: <json>\n\n}; Jackson escapes line breaks in strings, so the JSON is one line. */
  public static byte[] chunk(ObjectNode chunk) {
    return ("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code data: [DONE]\n\n}. */
  public static byte[] done() {
    return DONE.clone();
  }
}
