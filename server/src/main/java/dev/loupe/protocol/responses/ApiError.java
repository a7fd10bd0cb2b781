package dev.loupe.protocol.responses;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A request the server refuses before any response exists, in the OpenAI error envelope of
 * contract 8.1: {@code {"error":{"message","type","param","code"}}} with an HTTP status. The HTTP
 * layer writes {@link #status()} and {@link #body()}; nothing else needs mapping.
 */
public final class ApiError extends Exception {
  private final int status;
  private final String type;
  private final String param;
  private final String code;

  public ApiError(int status, String type, String param, String code, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.status = status;
    this.type = Objects.requireNonNull(type, "type");
    this.param = param;
    this.code = code;
  }

  /** 400 {@code invalid_request_error}. */
  public static ApiError invalid(String param, String code, String message) {
    return new ApiError(400, "invalid_request_error", param, code, message);
  }

  /** 404 {@code invalid_request_error} with code {@code not_found}. */
  public static ApiError notFound(String param, String message) {
    return new ApiError(404, "invalid_request_error", param, "not_found", message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** The path of the offending field, for example {@code input[0].content[1].image_url}, or null. */
  public String param() {
    return param;
  }

  /** A machine-readable code such as {@code invalid_type}, or null. */
  public String code() {
    return code;
  }

  /** The response body: {@code {"error":{"message","type","param","code"}}}. */
  public ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", getMessage());
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return body;
  }

  @Override
  public String toString() {
    return "ApiError[" + status + " " + type + " " + code + " " + param + ": " + getMessage() + "]";
  }
}
