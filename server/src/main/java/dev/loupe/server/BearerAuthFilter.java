package dev.loupe.server;

import dev.loupe.protocol.ApiException;
import dev.loupe.server.http.ErrorMapping;
import dev.loupe.server.web.WebRoutes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * {@code Authorization: Bearer <key>} on every route but {@code GET /healthz}, {@code GET /readyz} and
 * the web pages'
 * {@code GET}s (contract 1.2): a missing, malformed or unknown key is a 401 {@code invalid_api_key},
 * and the route never runs. The pages hold no data and must load before the user can type a key
 * into them; the API calls they make carry it.
 */
final class BearerAuthFilter implements Filter {
  /** The challenge of RFC 6750 section 3, without an error when no key was sent. */
  static final String CHALLENGE = "Bearer realm=\"loupe\"";

  private final List<byte[]> keys;

  BearerAuthFilter(Set<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
    String path = request.path().path();
    if (request.prologue().method() == Method.GET && ("/healthz".equals(path) || "/readyz".equals(path)
        || WebRoutes.isPublic(path))) {
      chain.proceed();
      return;
    }
    String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    String message;
    String challenge;
    if (header == null) {
      message = "You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>'.";
      challenge = CHALLENGE;
    } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
      message = "Malformed Authorization header: expected 'Bearer <key>'.";
      challenge = CHALLENGE + ", error=\"invalid_request\"";
    } else if (!known(header.substring(7).strip())) {
      message = "Incorrect API key provided.";
      challenge = CHALLENGE + ", error=\"invalid_token\"";
    } else {
      chain.proceed();
      return;
    }
    // RFC 6750 section 3: every 401 names the scheme; the error attribute only when a key was sent.
    response.header(HeaderNames.WWW_AUTHENTICATE, challenge);
    // The route's envelope: native paths answer in their own, as InvalidApiKey (contract 1.2).
    ErrorMapping.send(request, response, new ApiException(401, "invalid_request_error", "invalid_api_key", null, message));
  }

  /** Compares against every key in constant time, so that timing does not reveal a prefix. */
  private boolean known(String presented) {
    byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
    boolean found = false;
    for (byte[] key : keys) {
      found |= MessageDigest.isEqual(key, bytes);
    }
    return found;
  }
}
