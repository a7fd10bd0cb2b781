package dev.loupe.fetch;

import java.util.Objects;

/**
 * An image could not be read from where it was said to be. The message starts with the location
 * and names the value that failed, for example {@code http://example.com/x.jpg: HTTP 404}; {@link
 * #reason()} is for code.
 */
public final class FetchException extends Exception {
  /** Why a fetch failed. */
  public enum Reason {
    /** The location is not a usable reference: unknown scheme, bad URL, bad data URL or Base64. */
    BAD_REFERENCE,
    /** No such local file. */
    NOT_FOUND,
    /** The host resolves to an address the policy refuses (loopback, private, …). */
    BLOCKED_ADDRESS,
    /** The host is unknown, refused the connection, or the connection failed. */
    UNREACHABLE,
    /** Connecting or the whole fetch took longer than the policy allows. */
    TIMEOUT,
    /** The server answered with a status other than 200 (or a redirect without Location). */
    HTTP_STATUS,
    /** More bytes than {@link FetchPolicy#maxBytes()}. */
    TOO_LARGE,
    /** A declared content type that is not an image. */
    BAD_CONTENT_TYPE,
    /** More redirects than {@link FetchPolicy#maxRedirects()}. */
    TOO_MANY_REDIRECTS
  }

  private final Reason reason;

  public FetchException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public FetchException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
