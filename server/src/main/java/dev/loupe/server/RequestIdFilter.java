package dev.loupe.server;

import dev.loupe.server.http.RequestIds;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/** Gives every response its {@code x-request-id} before anything else can answer. */
final class RequestIdFilter implements Filter {
  @Override
  public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
    response.header(RequestIds.HEADER, RequestIds.next());
    chain.proceed();
  }
}
