package dev.loupe.runs;

import java.util.Objects;

/**
 * A model backend could not answer because something it depends on failed: an upstream model was
 * unreachable, too slow, refused the request or broke off its stream. Throw it from {@link
 * ModelBackend#run}.
 *
 * <p>How the turn ends depends on whether its client has seen anything yet: a request not yet
 * answered gets the status its protocol gives {@link #kind()}; a stream that has started ends with
 * its error event. Either way nothing is stored.
 */
public final class BackendFailed extends Exception {
  private final FailureKind kind;

  /**
   * @param kind one of the upstream kinds
   * @param message what failed; names the upstream host, never a key
   */
  public BackendFailed(FailureKind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    if (!kind.upstream()) {
      throw new IllegalArgumentException("not an upstream failure: " + kind);
    }
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }

  /** The kind's code, for example {@code upstream_unavailable}. */
  public String code() {
    return kind.code();
  }
}
