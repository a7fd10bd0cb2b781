package dev.loupe.server.http;

import java.util.Objects;

/**
 * A failure to answer with a given HTTP status in the OpenAI error envelope {@code {"error":
 * {"message", "type", "param", "code"}}}. Throw it from a handler; {@link ErrorMapping} writes it.
 *
 * <p>The factory methods cover the statuses of the wire contract (section 8.1); the message is shown
 * to the caller as is, so it names the field and the value that failed.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final int retryAfterSeconds;

  /**
   * @param status the HTTP status
   * @param type the envelope's {@code type}, for example {@code invalid_request_error}
   * @param code the envelope's {@code code}, or null
   * @param param the request field at fault, or null
   * @param message the envelope's {@code message}, shown to the caller
   */
  public ApiException(int status, String type, String code, String param, String message) {
    this(status, type, code, param, message, 0);
  }

  private ApiException(int status, String type, String code, String param, String message,
      int retryAfterSeconds) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.status = status;
    this.type = Objects.requireNonNull(type, "type");
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 429 {@code rate_limit_exceeded}, answered with {@code Retry-After: retryAfterSeconds}. */
  public static ApiException rateLimited(String message, int retryAfterSeconds) {
    return new ApiException(429, "rate_limit_error", "rate_limit_exceeded", null, message,
        Math.max(1, retryAfterSeconds));
  }

  /** 503 {@code overloaded}, answered with {@code Retry-After: retryAfterSeconds}. */
  public static ApiException overloaded(String message, int retryAfterSeconds) {
    return new ApiException(503, "server_error", "overloaded", null, message, Math.max(1, retryAfterSeconds));
  }

  /** 400 {@code invalid_value}: a field has the wrong type or an out-of-range value. */
  public static ApiException invalidValue(String param, String message) {
    return new ApiException(400, "invalid_request_error", "invalid_value", param, message);
  }

  /** 400 with an explicit code, for example {@code invalid_image_url}. */
  public static ApiException badRequest(String code, String param, String message) {
    return new ApiException(400, "invalid_request_error", code, param, message);
  }

  /** 404 {@code not_found}. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "invalid_request_error", "not_found", null, message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  /** Seconds for the {@code Retry-After} header, or 0 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
