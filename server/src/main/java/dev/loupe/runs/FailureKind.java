package dev.loupe.runs;

/**
 * What kind of failure ended a turn, in the runs layer's own terms: no wire status here. Each
 * protocol decides what a kind answers (an HTTP status before its stream starts, an error event
 * after); {@code dev.loupe.protocol.ApiException#of} holds the shared rule.
 */
public enum FailureKind {
  /** The caller's input could not be used during the turn, for example an image the tool refused. */
  INPUT("invalid_request_error"),
  /** The model upstream could not be reached, or closed the connection. */
  UPSTREAM_UNAVAILABLE("upstream_unavailable"),
  /** The model upstream answered with an error or a stream it could not keep to. */
  UPSTREAM_ERROR("upstream_error"),
  /** The model upstream stayed silent for too long. */
  UPSTREAM_TIMEOUT("upstream_timeout"),
  /** A fault of this server; its message is logged, never shown. */
  INTERNAL("server_error");

  private final String code;

  FailureKind(String code) {
    this.code = code;
  }

  /** A stable name for the kind, used as the error code where the wire has no better one. */
  public String code() {
    return code;
  }

  /** Whether the model upstream is at fault. */
  public boolean upstream() {
    return this == UPSTREAM_UNAVAILABLE || this == UPSTREAM_ERROR || this == UPSTREAM_TIMEOUT;
  }
}
