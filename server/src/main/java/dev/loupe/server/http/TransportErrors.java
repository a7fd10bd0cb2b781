package dev.loupe.server.http;

import dev.loupe.protocol.ApiException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The answers the HTTP listener writes itself, before any route sees the request: a request line
 * longer than the server reads (414), a malformed request line or header, or headers too large
 * (400), a body
 * over a transport limit (413), a fault in the listener (500). Each comes in the envelope mounted for
 * the request's path ({@link ErrorEnvelopes}), OpenAI's where the path is not known, with an {@code
 * x-request-id}; the message is this server's own, never the listener's exception text.
 */
public final class TransportErrors implements DirectHandler {
  /** Longest request line (method, path and query) the listener reads, in bytes. */
  public static final int MAX_REQUEST_LINE = 8192;

  private final ErrorEnvelopes envelopes;

  public TransportErrors(ErrorEnvelopes envelopes) {
    this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
  }

  /** This handler for every kind of listener failure. */
  public DirectHandlers handlers() {
    DirectHandlers.Builder builder = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      builder.addHandler(type, this);
    }
    return builder.build();
  }

  @Override
  public TransportResponse handle(TransportRequest request, EventType type, Status status,
      ServerResponseHeaders headers, String message) {
    ApiException failure = failure(status.code());
    String requestId = RequestIds.next();
    String path = request.path();
    ErrorEnvelope envelope = envelopes.envelopeOf(path == null || path.isEmpty() ? "/" : path);
    byte[] body = envelope.body(failure, requestId).toString().getBytes(StandardCharsets.UTF_8);
    return TransportResponse.builder()
        .status(Status.create(failure.status()))
        .headers(headers)
        .header(HeaderNames.CONTENT_TYPE, "application/json")
        .header(RequestIds.HEADER, requestId)
        .keepAlive(type.keepAlive())
        .entity(body)
        .build();
  }

  /** The failure a listener status stands for, in this server's words. */
  static ApiException failure(int status) {
    return switch (status) {
      case 414 -> new ApiException(414, "invalid_request_error", "uri_too_long", null,
          "The request line is longer than the server reads: at most " + MAX_REQUEST_LINE
              + " bytes of method, path and query. Send large inputs in the request body.");
      case 413 -> new ApiException(413, "invalid_request_error", "request_too_large", null,
          "The request body is larger than the server accepts.");
      case 505 -> new ApiException(505, "invalid_request_error", "http_version_not_supported", null,
          "This server speaks HTTP/1.1 and HTTP/2.");
      default -> status >= 400 && status < 500
          ? new ApiException(status, "invalid_request_error", "bad_request", null,
              "The request could not be read as HTTP: check the request line and headers.")
          : new ApiException(500, "server_error", "server_error", null,
              "The server had an error while reading the request.");
    };
  }
}
