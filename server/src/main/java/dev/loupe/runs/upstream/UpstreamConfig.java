package dev.loupe.runs.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how {@link UpstreamModel} reaches an OpenAI-compatible server.
 *
 * @param baseUrl the API's base URL, the part before {@code /chat/completions}, for example {@code
 *     http://127.0.0.1:8000/v1}; http or https
 * @param apiKey sent as {@code Authorization: Bearer <key>}, or null to send no header
 * @param upstreamModel the model name sent upstream, or null to send the request's own
 * @param connectTimeout how long a TCP connection may take; default 10 s
 * @param timeout how long the upstream may stay silent: until the response headers, and then
 *     between two chunks of the stream; default 120 s, because a local model may take that long to
 *     read a large image before its first token
 * @param maxRetries how often a request answered 429 or 5xx is sent again, 0 to 10; default 2
 * @param retryBackoff the wait before the first retry, doubled for each next one (a {@code
 *     Retry-After} in seconds wins, up to 30 s); default 500 ms
 * @param maxRounds most chat completions in one turn: tool calls and their results go back and
 *     forth until the model answers without calling a tool; the last round offers no tools, so the
 *     model must answer; 2 to 32, default 8
 */
public record UpstreamConfig(URI baseUrl, String apiKey, String upstreamModel, Duration connectTimeout,
    Duration timeout, int maxRetries, Duration retryBackoff, int maxRounds) {
  public UpstreamConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (!"http".equalsIgnoreCase(baseUrl.getScheme()) && !"https".equalsIgnoreCase(baseUrl.getScheme())
        || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host, got: " + baseUrl);
    }
    if (apiKey != null && apiKey.isBlank()) {
      apiKey = null;
    }
    if (upstreamModel != null && upstreamModel.isBlank()) {
      upstreamModel = null;
    }
    connectTimeout = positive("connectTimeout", connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout);
    timeout = positive("timeout", timeout == null ? Duration.ofSeconds(120) : timeout);
    retryBackoff = retryBackoff == null ? Duration.ofMillis(500) : retryBackoff;
    if (retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must not be negative, got: " + retryBackoff);
    }
    if (maxRetries < 0 || maxRetries > 10) {
      throw new IllegalArgumentException("maxRetries must be between 0 and 10, got: " + maxRetries);
    }
    if (maxRounds < 2 || maxRounds > 32) {
      throw new IllegalArgumentException("maxRounds must be between 2 and 32, got: " + maxRounds);
    }
  }

  /** The defaults for everything but the URL and the key. */
  public static UpstreamConfig of(URI baseUrl, String apiKey) {
    return new UpstreamConfig(baseUrl, apiKey, null, null, null, 2, null, 8);
  }

  public UpstreamConfig withUpstreamModel(String name) {
    return new UpstreamConfig(baseUrl, apiKey, name, connectTimeout, timeout, maxRetries, retryBackoff, maxRounds);
  }

  public UpstreamConfig withTimeouts(Duration connect, Duration silence) {
    return new UpstreamConfig(baseUrl, apiKey, upstreamModel, connect, silence, maxRetries, retryBackoff, maxRounds);
  }

  public UpstreamConfig withRetries(int retries, Duration backoff) {
    return new UpstreamConfig(baseUrl, apiKey, upstreamModel, connectTimeout, timeout, retries, backoff, maxRounds);
  }

  /** {@code host:port} of the upstream, for messages: never the key, never the path. */
  public String host() {
    return baseUrl.getHost() + (baseUrl.getPort() == -1 ? "" : ":" + baseUrl.getPort());
  }

  /** {@code {baseUrl}/chat/completions}. */
  URI chatCompletions() {
    String base = baseUrl.toString();
    return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
  }

  @Override
  public String toString() {
    // Never print the key: configs end up in logs.
    return "UpstreamConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
        + ", upstreamModel=" + upstreamModel + ", connectTimeout=" + connectTimeout + ", timeout=" + timeout
        + ", maxRetries=" + maxRetries + ", retryBackoff=" + retryBackoff + ", maxRounds=" + maxRounds + "]";
  }

  private static Duration positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got: " + d);
    }
    return d;
  }
}
