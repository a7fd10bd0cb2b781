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
import dev.loupe.server.http.Caller;
import dev.loupe.store.KeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code Authorization: Bearer <key>} on every route but {@code GET /healthz}, {@code GET /readyz} and
 * the web pages'
 * {@code GET}s (contract 1.2): a missing, malformed or unknown key is a 401 {@code invalid_api_key},
 * and the route never runs. The pages hold no data and must load before the user can type a key
 * into them; the API calls they make carry it.
 *
 * <p>Keys come from the environment and a keys file (read at start) and from the data directory's
 * {@link KeyStore} ({@code loupe keys add|revoke}, read at each request through a {@link #CACHE}
 * of one second, so added and revoked keys take effect without a restart). A server that has never
 * had a key lets every request through; once it has, revoking the last key leaves it closed until
 * a key is added (fail closed), never open. The caller's key name is recorded for the request ({@link
 * Caller}).
 */
final class BearerAuthFilter implements Filter {
  /** The challenge of RFC 6750 section 3, without an error when no key was sent. */
  static final String CHALLENGE = "Bearer realm=\"loupe\"";
  /** How long a stored key's lookup is trusted: a revoked key stops working within this. */
  static final Duration CACHE = Duration.ofSeconds(1);
  /** Last use is written at most this often per key. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private static final System.Logger LOG = System.getLogger(BearerAuthFilter.class.getName());

  private record Configured(byte[] key, String name) {}

  private record Lookup(String name, long expires) {}

  private final List<Configured> keys;
  private final KeyStore store;
  private final Clock clock;
  private final Map<String, Lookup> lookups = new ConcurrentHashMap<>();
  private final Map<String, Instant> touched = new ConcurrentHashMap<>();
  private volatile Lookup storeHasKeys = new Lookup(null, 0);
  /** Once keys were required they stay required: revoking the last key does not open the server. */
  private volatile boolean keyed;

  /**
   * @param keys the keys from the environment and a keys file
   * @param store the stored keys ({@code loupe keys}), read at each request through a short cache;
   *     null for none
   */
  BearerAuthFilter(Set<String> keys, KeyStore store, Clock clock) {
    this.keys = keys.stream().map(k -> new Configured(k.getBytes(StandardCharsets.UTF_8),
        "key-" + KeyStore.hash(k).substring(0, 8))).toList();
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
    if (!keyed && keys.isEmpty() && !storeHasKeys()) {
      chain.proceed(); // a server without keys: loopback only, or --insecure (LoupeServer checks)
      return;
    }
    keyed = true;
    String path = request.path().path();
    if (request.prologue().method() == Method.GET && ("/healthz".equals(path) || "/readyz".equals(path)
        || WebRoutes.isPublic(path))) {
      chain.proceed();
      return;
    }
    String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    String message;
    String challenge;
    String name = null;
    if (header == null) {
      message = "You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>'.";
      challenge = CHALLENGE;
    } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
      message = "Malformed Authorization header: expected 'Bearer <key>'.";
      challenge = CHALLENGE + ", error=\"invalid_request\"";
    } else if ((name = known(header.substring(7).strip())) == null) {
      message = "Incorrect API key provided.";
      challenge = CHALLENGE + ", error=\"invalid_token\"";
    } else {
      request.context().register(Caller.class, new Caller(name));
      chain.proceed();
      return;
    }
    // RFC 6750 section 3: every 401 names the scheme; the error attribute only when a key was sent.
    response.header(HeaderNames.WWW_AUTHENTICATE, challenge);
    // The route's envelope: native paths answer in their own, as InvalidApiKey (contract 1.2).
    ErrorMapping.send(request, response, new ApiException(401, "invalid_request_error", "invalid_api_key", null, message));
  }

  /**
   * The name of the key, or null when it is unknown. Configured keys are compared in constant time,
   * so that timing does not reveal a prefix; stored keys are looked up by their SHA-256, which
   * reveals nothing of the key.
   */
  private String known(String presented) {
    byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
    String found = null;
    for (Configured key : keys) {
      if (MessageDigest.isEqual(key.key(), bytes)) {
        found = key.name();
      }
    }
    if (found != null || store == null) {
      return found;
    }
    String hash = KeyStore.hash(presented);
    long now = System.nanoTime();
    Lookup cached = lookups.get(hash);
    if (cached == null || cached.expires() - now < 0) {
      try {
        cached = new Lookup(store.nameOf(hash).orElse(null), now + CACHE.toNanos());
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "the key store cannot be read", e);
        return null;
      }
      if (lookups.size() > 10_000) {
        lookups.clear(); // many different wrong keys: bounded memory
      }
      lookups.put(hash, cached);
    }
    if (cached.name() != null) {
      touch(cached.name());
    }
    return cached.name();
  }

  private boolean storeHasKeys() {
    if (store == null) {
      return false;
    }
    long now = System.nanoTime();
    Lookup cached = storeHasKeys;
    if (cached.expires() - now < 0) {
      try {
        cached = new Lookup(store.isEmpty() ? null : "yes", now + CACHE.toNanos());
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "the key store cannot be read", e);
        cached = new Lookup("yes", now + CACHE.toNanos()); // fail closed
      }
      storeHasKeys = cached;
    }
    return cached.name() != null;
  }

  private void touch(String name) {
    Instant now = clock.instant();
    Instant last = touched.get(name);
    if (last == null || Duration.between(last, now).compareTo(TOUCH_EVERY) >= 0) {
      touched.put(name, now);
      try {
        store.touch(name, now);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot record the use of key " + name, e);
      }
    }
  }
}
