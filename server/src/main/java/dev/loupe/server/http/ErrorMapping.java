package dev.loupe.server.http;

import dev.loupe.protocol.dashscope.DashScopeErrors;
import dev.loupe.protocol.responses.ApiError;
import dev.loupe.tools.ImageErrorCodes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import dev.loupe.image.PixelBudgetExhausted;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The one place where failures become HTTP responses: in the OpenAI envelope {@code {"error":
 * {"message", "type", "param", "code"}, "request_id"}} (contract 8.1), or under {@link
 * #NATIVE_PREFIX} in DashScope's native envelope {@code {"code", "message", "request_id"}} (8.2),
 * the only keys the DashScope SDK reads there.
 *
 * <p>Register {@link #handle} as the routing's error handler for {@link Throwable}; filters that
 * answer early call {@link #send} directly. Anything not recognised is a 500 whose body names only
 * the request id: the stack trace goes to the log, never to the caller.
 */
public final class ErrorMapping {
  private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The paths of DashScope's native protocol (contract 1.1): {@code /api/v1/services/...} and
   * {@code /api/v1/uploads}. Not to be confused with {@code /api/v2/apps/protocols/compatible-mode},
   * which is OpenAI's shape.
   */
  public static final String NATIVE_PREFIX = "/api/v1/";

  private ErrorMapping() {}

  /** Writes the OpenAI envelope for {@code failure} to {@code response}, unless it was already sent. */
  public static void send(ServerResponse response, Throwable failure) {
    send("/", response, failure);
  }

  /**
   * Writes the envelope of the protocol {@code path} belongs to (native under {@link
   * #NATIVE_PREFIX}, else OpenAI's), unless the response was already sent.
   */
  public static void send(String path, ServerResponse response, Throwable failure) {
    String requestId = RequestIds.of(response);
    ApiException error = map(failure, requestId);
    if (response.isSent()) {
      // A streamed body has started: nothing can be said in HTTP any more.
      LOG.log(System.Logger.Level.WARNING, "failure after the response started, request " + requestId, failure);
      return;
    }
    if (error.retryAfterSeconds() > 0) {
      // Contract 8.1: both OpenAI SDKs honour Retry-After and retry-after-ms on 429 and 503.
      response.header(HeaderNames.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
      response.header(HeaderNames.create("retry-after-ms"), Integer.toString(error.retryAfterSeconds() * 1000));
    }
    if (path.startsWith(NATIVE_PREFIX)) {
      send(response, error.status(),
          DashScopeErrors.body(error.status(), error.code(), error.getMessage(), requestId));
      return;
    }
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("message", error.getMessage());
    inner.put("type", error.type());
    inner.put("param", error.param());
    inner.put("code", error.code());
    body.put("request_id", requestId);
    send(response, error.status(), body);
  }

  private static void send(ServerResponse response, int status, ObjectNode body) {
    response.status(Status.create(status));
    response.header(HeaderNames.CONTENT_TYPE, "application/json");
    response.send(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** What {@code failure} answers, as an {@link ApiException}. */
  public static ApiException map(Throwable failure, String requestId) {
    return switch (failure) {
      case ApiException api -> api;
      // The Responses protocol's own errors already carry the whole envelope.
      case ApiError protocol -> new ApiException(protocol.status(), protocol.type(), protocol.code(), protocol.param(),
          protocol.getMessage());
      case ImageInputException input -> switch (input.getCause()) {
        case ImageRejected rejected -> rejected(rejected, input.param());
        case FetchException fetch -> fetch(fetch, input.param(), input.inline());
        default -> internal(failure, requestId);
      };
      case ImageRejected rejected -> rejected(rejected, null);
      // Not the image's fault: the same request may pass once other decodes finish.
      case PixelBudgetExhausted busy -> ApiException.overloaded(busy.getMessage(),
          (int) Math.max(1, (busy.retryAfter().toMillis() + 999) / 1000));
      case FetchException fetch -> fetch(fetch, null, false);
      case JsonProcessingException json -> ApiException.badRequest("invalid_json", null,
          "The request body is not valid JSON: " + json.getOriginalMessage());
      case HttpException http when http.status().code() < 500 -> new ApiException(http.status().code(),
          "invalid_request_error", null, null, http.getMessage());
      default -> internal(failure, requestId);
    };
  }

  private static ApiException internal(Throwable failure, String requestId) {
    LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", failure);
    return new ApiException(500, "server_error", "server_error", null,
        "The server had an error while processing the request (request id " + requestId + ").");
  }

  /** Contract 8.3: every image limit is a 400 with the loader's own message. */
  private static ApiException rejected(ImageRejected rejected, String param) {
    String code = ImageErrorCodes.of(rejected.reason());
    return ApiException.badRequest(code, param, rejected.getMessage());
  }

  /**
   * Contract 8.3: an unreachable URL is {@code failed_to_download_image}, a malformed one {@code
   * invalid_image_url}, bad inline Base64 {@code invalid_image}. A refused (private) address is the
   * caller's URL being unacceptable, so {@code invalid_image_url} too.
   */
  private static ApiException fetch(FetchException fetch, String param, boolean inline) {
    String code = ImageErrorCodes.of(fetch.reason(), inline);
    return ApiException.badRequest(code, param, fetch.getMessage());
  }
}
