package dev.loupe.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One Responses stream event (contract 3.3): its {@code type} and its JSON payload, which starts
 * with {@code type} and {@code sequence_number}. Frame it with {@link SseFraming#event}.
 */
public record ResponseStreamEvent(String type, ObjectNode data) {
  public ResponseStreamEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }

  /** The event's {@code sequence_number}. */
  public int sequenceNumber() {
    return data.path("sequence_number").asInt(-1);
  }
}
