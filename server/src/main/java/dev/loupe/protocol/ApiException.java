package dev.loupe.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import dev.loupe.runs.FailureKind;
import dev.loupe.tools.ImageErrorCodes;
import java.util.Objects;

/**
 * The server's one failure type: a request answered with an HTTP status and an error of {@code
 * type}, {@code code}, {@code param} and {@code message} (contract 8.1). Protocols and routes throw
 * it; the envelope it is written in (OpenAI's {@code {"error": {...}}} or DashScope's {@code
 * {"code", "message"}}) is the route's, chosen where the route is mounted, never here.
 *
 * <p>The factory methods cover the statuses of the wire contract (section 8.1); the message is shown
 * to the caller as is, so it names the field and the value that failed, and never carries an
 * internal exception's own message.
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

  /**
   * 400 {@code invalid_request_error} with the field at fault first, as the envelope orders them.
   *
   * @param param the path of the offending field, for example {@code input[0].content[1].image_url}, or null
   * @param code a machine-readable code such as {@code invalid_type}
   */
  public static ApiException invalid(String param, String code, String message) {
    return new ApiException(400, "invalid_request_error", code, param, message);
  }

  /**
   * 400 for an image that could not be fetched (contract 8.3): an unreachable URL is {@code
   * failed_to_download_image}, a malformed or refused one {@code invalid_image_url}, bad inline data
   * {@code invalid_image}. The fetcher's message is worded for the caller and kept.
   *
   * @param inline whether the image was inline data (a data URL or an upload) rather than a URL
   */
  public static ApiException image(String param, FetchException failure, boolean inline) {
    return badRequest(ImageErrorCodes.of(failure.reason(), inline), param, failure.getMessage());
  }

  /** 400 for an image the loader refused, with the contract 8.3 code of its reason and its message. */
  public static ApiException image(String param, ImageRejected failure) {
    return badRequest(ImageErrorCodes.of(failure.reason()), param, failure.getMessage());
  }

  /** 404 {@code not_found} naming the field that held the missing id. */
  public static ApiException notFound(String param, String message) {
    return new ApiException(404, "invalid_request_error", "not_found", param, message);
  }

  /** 404 {@code model_not_found} for a model no route serves. */
  public static ApiException modelNotFound(String model) {
    return new ApiException(404, "invalid_request_error", "model_not_found", "model",
        "The model '" + model + "' does not exist or you do not have access to it.");
  }

  /**
   * What a turn's failure answers when no byte of the answer has been sent: bad input is a 400
   * with the failure's code, an upstream that stayed silent 504, any other upstream fault 502, and
   * a fault of this server 500 (all with {@code code} the kind's own for upstream and internal).
   */
  public static ApiException of(FailureKind kind, String code, String message) {
    return switch (kind) {
      case INPUT -> new ApiException(400, "invalid_request_error", code, null, message);
      case UPSTREAM_TIMEOUT -> new ApiException(504, "server_error", kind.code(), null, message);
      case UPSTREAM_UNAVAILABLE, UPSTREAM_ERROR -> new ApiException(502, "server_error", kind.code(), null, message);
      case INTERNAL -> new ApiException(500, "server_error", kind.code(), null, message);
    };
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

  /** The OpenAI envelope's inner object {@code {"message", "type", "param", "code"}}. */
  public ObjectNode openAiError() {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("message", getMessage());
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return error;
  }

  @Override
  public String toString() {
    return "ApiException[" + status + " " + type + " " + code + " " + param + ": " + getMessage() + "]";
  }

  /** Seconds for the {@code Retry-After} header, or 0 for none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
