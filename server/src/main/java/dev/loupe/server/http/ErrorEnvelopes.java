package dev.loupe.server.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which {@link ErrorEnvelope} each route answers in: the server mounts each protocol's envelope
 * under the paths that protocol serves, and this filter, first in the chain, records on every
 * request the envelope of its route, so that a refusal before routing (authentication, admission,
 * a body too large) is written in the route's envelope too. Paths no protocol claimed get {@link
 * ErrorEnvelope#OPENAI}.
 */
public final class ErrorEnvelopes implements Filter {
  private record Mount(String root, ErrorEnvelope envelope) {}

  private final List<Mount> mounts = new ArrayList<>();

  /**
   * Answers failures under {@code root} (a path prefix ending in {@code /}) in {@code envelope}.
   * Call before the server starts.
   */
  public ErrorEnvelopes mount(String root, ErrorEnvelope envelope) {
    if (!root.startsWith("/") || !root.endsWith("/")) {
      throw new IllegalArgumentException("a mount root starts and ends with '/', got: " + root);
    }
    mounts.add(new Mount(root, Objects.requireNonNull(envelope, "envelope")));
    return this;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
    request.context().register(ErrorEnvelope.class, envelopeOf(request.path().path()));
    chain.proceed();
  }

  ErrorEnvelope envelopeOf(String path) {
    Mount best = null;
    for (Mount mount : mounts) {
      if (path.startsWith(mount.root()) && (best == null || mount.root().length() > best.root().length())) {
        best = mount;
      }
    }
    return best == null ? ErrorEnvelope.OPENAI : best.envelope();
  }

  /** The envelope recorded on {@code request}, or {@link ErrorEnvelope#OPENAI}. */
  static ErrorEnvelope of(ServerRequest request) {
    return request.context().get(ErrorEnvelope.class, ErrorEnvelope.class).orElse(ErrorEnvelope.OPENAI);
  }
}
