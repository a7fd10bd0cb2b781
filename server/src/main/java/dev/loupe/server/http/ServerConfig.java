package dev.loupe.server.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * How {@link LoupeServer} listens and whom it serves.
 *
 * @param host the address to listen on; default {@code 127.0.0.1}. Any address other than loopback
 *     needs API keys unless {@code insecure}
 * @param port the TCP port, 0 for any free one (tests); default 8080
 * @param apiKeys the accepted bearer keys; default none, which turns authentication off (allowed on
 *     loopback only, or with {@code insecure})
 * @param insecure whether to listen on a non-loopback address without keys; default false
 * @param maxRequestBytes the largest request body; default {@link #DEFAULT_MAX_REQUEST_BYTES} (24
 *     MiB: a 10 MiB image as Base64 in a data URL, plus room for the rest of a request)
 * @param publicBaseUrl the URL clients reach the server at, for links in responses ({@code
 *     thumbnail_url}, local images' {@code url}); default null, meaning relative links ({@code
 *     /v1/images/...}); never taken from the request's {@code Host} header
 */
public record ServerConfig(
    String host, int port, Set<String> apiKeys, boolean insecure, long maxRequestBytes, String publicBaseUrl) {
  /** Default {@link #host()}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default {@link #port()}. */
  public static final int DEFAULT_PORT = 8080;
  /** Default {@link #maxRequestBytes()}: 24 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 24L << 20;

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank, got: " + host);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got: " + port);
    }
    apiKeys = Set.copyOf(apiKeys);
    for (String key : apiKeys) {
      if (key.isBlank() || !key.equals(key.strip())) {
        throw new IllegalArgumentException("API keys must not be blank or have surrounding spaces");
      }
    }
    if (maxRequestBytes < 1024 || maxRequestBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be 1024 to " + (Integer.MAX_VALUE - 8) + ", got: " + maxRequestBytes);
    }
    if (publicBaseUrl != null) {
      publicBaseUrl = publicBaseUrl.strip().replaceAll("/+$", "");
      try {
        URI uri = new URI(publicBaseUrl);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
          throw new IllegalArgumentException("publicBaseUrl must be an http(s) URL, got: " + publicBaseUrl);
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("publicBaseUrl is not a URL: " + publicBaseUrl, e);
      }
    }
  }

  /** The defaults: 127.0.0.1:8080, no keys, 24 MiB bodies, relative links. */
  public static ServerConfig defaults() {
    return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Set.of(), false, DEFAULT_MAX_REQUEST_BYTES, null);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(h, port, apiKeys, insecure, maxRequestBytes, publicBaseUrl);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(host, p, apiKeys, insecure, maxRequestBytes, publicBaseUrl);
  }

  public ServerConfig withApiKeys(Set<String> keys) {
    return new ServerConfig(host, port, keys, insecure, maxRequestBytes, publicBaseUrl);
  }

  public ServerConfig withInsecure(boolean i) {
    return new ServerConfig(host, port, apiKeys, i, maxRequestBytes, publicBaseUrl);
  }

  public ServerConfig withMaxRequestBytes(long bytes) {
    return new ServerConfig(host, port, apiKeys, insecure, bytes, publicBaseUrl);
  }

  public ServerConfig withPublicBaseUrl(String url) {
    return new ServerConfig(host, port, apiKeys, insecure, maxRequestBytes, url);
  }
}
