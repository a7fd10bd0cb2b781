package dev.loupe.runs;

import java.util.Objects;

/**
 * A model backend could not answer because something it depends on failed: an upstream model was
 * unreachable, too slow, refused the request or broke off its stream. Throw it from {@link
 * ModelBackend#run}.
 *
 * <p>How the turn ends depends on whether its client has seen anything yet: a non-streaming request
 * answers with HTTP {@link #status()} and {@link #code()} in the OpenAI envelope (contract 8.1); a
 * stream that has started ends with {@code response.failed} whose {@code error.code} is {@code
 * server_error}, because that field must come from OpenAI's enum. Either way nothing is stored.
 */
public final class BackendFailed extends Exception {
  private final int status;
  private final String code;

  /**
   * @param status the HTTP status for a request not yet answered, 500 to 599 (502 for a bad or
   *     absent upstream, 504 for a slow one)
   * @param code the envelope's code, for example {@code upstream_unavailable}
   * @param message what failed; names the upstream host, never a key
   */
  public BackendFailed(int status, String code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("status must be between 500 and 599, got: " + status);
    }
    this.status = status;
    this.code = Objects.requireNonNull(code, "code");
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
