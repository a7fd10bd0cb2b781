package dev.loupe.protocol.responses;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the Responses endpoint.
 *
 * @param heartbeatInterval gap between SSE comment heartbeats while a stream is open; default 15 s,
 *     well under the 60 s contract 3.1 rule 5 asks for; must be positive
 */
public record ResponsesConfig(Duration heartbeatInterval) {
  public ResponsesConfig {
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeatInterval must be positive, got: " + heartbeatInterval);
    }
  }

  /** The defaults: heartbeats every 15 s. */
  public static ResponsesConfig defaults() {
    return new ResponsesConfig(Duration.ofSeconds(15));
  }
}
