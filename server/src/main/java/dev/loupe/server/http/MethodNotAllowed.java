package dev.loupe.server.http;

import dev.loupe.protocol.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;

/**
 * A handler for a known path reached with a method it does not serve: 405 with an {@code Allow}
 * header. Register it with {@code rules.any(path, MethodNotAllowed.allowing("POST"))} after the
 * path's own methods.
 */
public final class MethodNotAllowed {
  private MethodNotAllowed() {}

  /** A handler answering 405, naming {@code allowed} in the message and the {@code Allow} header. */
  public static Handler allowing(String... allowed) {
    String list = String.join(", ", allowed);
    return (request, response) -> {
      response.header(HeaderNames.ALLOW, list);
      throw new ApiException(405, "invalid_request_error", "method_not_allowed", null,
          "Method " + request.prologue().method().text() + " is not allowed on " + request.path().path()
              + "; allowed: " + list + ".");
    };
  }
}
