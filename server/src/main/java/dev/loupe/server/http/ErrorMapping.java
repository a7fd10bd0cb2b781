package dev.loupe.server.http;

import dev.loupe.protocol.ApiException;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import dev.loupe.image.PixelBudgetExhausted;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The one place where failures become HTTP responses, written in the envelope of the request's
 * route ({@link ErrorEnvelopes}): OpenAI's {@code {"error": {"message", "type", "param", "code"},
 * "request_id"}} (contract 8.1) unless the route's protocol mounted its own.
 *
 * <p>Register {@link #send(ServerRequest, ServerResponse, Throwable)} as the routing's error handler; filters that
 * answer early call {@link #send} directly. Anything not recognised is a 500 whose body names only
 * the request id: the stack trace goes to the log, never to the caller.
 */
public final class ErrorMapping {
  private static final System.Logger LOG = System.getLogger(ErrorMapping.class.getName());

  private ErrorMapping() {}

  /** Writes {@code failure} in the envelope of the request's route, unless the response was already sent. */
  public static void send(ServerRequest request, ServerResponse response, Throwable failure) {
    send(ErrorEnvelopes.of(request), response, failure);
  }

  /** Writes {@code failure} in {@code envelope}, unless the response was already sent. */
  public static void send(ErrorEnvelope envelope, ServerResponse response, Throwable failure) {
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
    response.status(Status.create(error.status()));
    response.header(HeaderNames.CONTENT_TYPE, "application/json");
    byte[] body = envelope.body(error, requestId).toString().getBytes(StandardCharsets.UTF_8);
    if (error.status() == 408) {
      // A stalled body: its connection was closed to stop the read (RequestBody), so the answer is
      // written if it still can be, and its loss is expected.
      response.header(HeaderValues.CONNECTION_CLOSE);
      try {
        response.send(body);
      } catch (RuntimeException closed) {
        LOG.log(System.Logger.Level.INFO, "request " + requestId + ": " + error.getMessage() + " Connection closed.");
      }
      return;
    }
    response.send(body);
  }

  /** What {@code failure} answers, as an {@link ApiException}. */
  public static ApiException map(Throwable failure, String requestId) {
    return switch (failure) {
      case ApiException api -> api;
      case ImageRejected rejected -> ApiException.image(null, rejected);
      // Not the image's fault: the same request may pass once other decodes finish.
      case PixelBudgetExhausted busy -> ApiException.overloaded(busy.getMessage(),
          (int) Math.max(1, (busy.retryAfter().toMillis() + 999) / 1000));
      case FetchException fetch -> ApiException.image(null, fetch, false);
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
}
