package dev.loupe.server.http;

import io.helidon.webserver.http.ServerRequest;
import java.util.Objects;

/**
 * Who made a request: the name of the API key it presented ({@code loupe keys list} shows stored
 * keys' names; a key from the environment or a keys file is named {@code key-} and the first 8 hex
 * digits of its SHA-256), or {@link #ANONYMOUS} on a server without keys. Authentication records
 * it in the request's context.
 */
public record Caller(String name) {
  /** The caller of a server without keys. */
  public static final Caller ANONYMOUS = new Caller("anonymous");

  public Caller {
    Objects.requireNonNull(name, "name");
  }

  /** The caller recorded on {@code request}, or {@link #ANONYMOUS}. */
  public static Caller of(ServerRequest request) {
    return request.context().get(Caller.class, Caller.class).orElse(ANONYMOUS);
  }
}
