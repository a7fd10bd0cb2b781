package dev.loupe.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.UUID;

/**
 * The {@code x-request-id} every response carries (contract 1.4): set by the server's first filter,
 * read back from the response when an error body repeats it as {@code request_id}.
 */
public final class RequestIds {
  /** The response header. */
  public static final HeaderName HEADER = HeaderNames.create("x-request-id");

  private RequestIds() {}

  /** A new id. */
  public static String next() {
    return UUID.randomUUID().toString();
  }

  /** The id already set on this response, or a new one set now. */
  public static String of(ServerResponse response) {
    var existing = response.headers().first(HEADER);
    if (existing.isPresent()) {
      return existing.get();
    }
    String id = next();
    response.header(HEADER, id);
    return id;
  }
}
