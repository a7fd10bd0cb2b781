package dev.loupe.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Limits for {@link ImageFetcher}: time, size, redirects, and which addresses may be contacted.
 *
 * <p>By default only public addresses are fetched, so that a URL sent to a Loupe server cannot make
 * it read from the server's own network (SSRF). Refused unless {@code allowPrivateAddresses}: any-local
 * and {@code 0.0.0.0/8}, loopback, private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}),
 * link-local ({@code 169.254/16}, {@code fe80::/10}), multicast, broadcast, carrier-grade NAT
 * ({@code 100.64/10}), unique-local ({@code fc00::/7}), and IPv6 forms that embed any of those IPv4
 * addresses. {@code allowedAddresses} opens single addresses or blocks while the rest stays closed.
 *
 * <p><b>URL mirrors.</b> Deployments without Internet access (air-gapped sites, CI) often keep
 * copies of public images on a local server. {@code mirrors} rewrites such URLs before they are
 * fetched: the first mirror whose {@link UrlMirror#prefix() prefix} starts the URL replaces that
 * prefix with its {@link UrlMirror#replacement() replacement}, at every hop including redirects.
 * The rewritten URL is then checked like any other, so a mirror on a private address must also be
 * opened through {@code allowedAddresses} (or {@code allowPrivateAddresses}).
 *
 * @param connectTimeout longest wait for a TCP/TLS connection; default 5 s
 * @param totalTimeout longest time for the whole fetch, redirects and body included; default 20 s
 * @param maxBytes largest accepted body, file or inline payload; default 10 MiB ({@code 10485760}),
 *     the hosted service's limit for URLs, files and Base64 strings alike
 * @param maxRedirects most redirects followed; default 5
 * @param allowPrivateAddresses whether non-public addresses may be fetched; default {@code false}
 * @param allowedAddresses IP addresses or CIDR blocks ({@code 10.20.0.0/16}, {@code fd00::/8})
 *     fetched even when private; default empty; literals only, never resolved through DNS
 * @param mirrors URL prefix rewrites tried in order, the first match wins; default empty
 */
public record FetchPolicy(
    Duration connectTimeout,
    Duration totalTimeout,
    long maxBytes,
    int maxRedirects,
    boolean allowPrivateAddresses,
    List<String> allowedAddresses,
    List<UrlMirror> mirrors) {
  /** Default {@link #connectTimeout()}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default {@link #totalTimeout()}. */
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(20);
  /** Default {@link #maxBytes()}: 10 MiB. */
  public static final long DEFAULT_MAX_BYTES = 10L << 20;
  /** Default {@link #maxRedirects()}. */
  public static final int DEFAULT_MAX_REDIRECTS = 5;

  public FetchPolicy {
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("totalTimeout", totalTimeout);
    if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxBytes must be 1 to " + (Integer.MAX_VALUE - 8) + ", got: " + maxBytes);
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must be at least 0, got: " + maxRedirects);
    }
    allowedAddresses = List.copyOf(allowedAddresses);
    allowedAddresses.forEach(AddressRange::parse); // fail now, not at the first fetch
    mirrors = List.copyOf(mirrors);
  }

  /** A policy without mirrors: the form this record had before {@link #mirrors()} existed. */
  public FetchPolicy(Duration connectTimeout, Duration totalTimeout, long maxBytes, int maxRedirects,
      boolean allowPrivateAddresses, List<String> allowedAddresses) {
    this(connectTimeout, totalTimeout, maxBytes, maxRedirects, allowPrivateAddresses,
        allowedAddresses, List.of());
  }

  /**
   * One URL rewrite: a URL that starts with {@code prefix} is fetched from {@code replacement}
   * followed by the rest of the URL. Matching is on the exact text, case included.
   *
   * @param prefix an http or https URL prefix that reaches at least the {@code /} after the host
   *     ({@code https://img.example.com/}), so that it cannot match another host that merely starts
   *     with the same name ({@code https://img.example.com.evil.org/})
   * @param replacement an http or https URL prefix ({@code http://10.0.0.5:8080/mirror/})
   */
  public record UrlMirror(String prefix, String replacement) {
    public UrlMirror {
      requireUrlPrefix("prefix", prefix);
      requireUrlPrefix("replacement", replacement);
      int authority = prefix.indexOf("://") + 3;
      if (prefix.indexOf('/', authority) < 0) {
        throw new IllegalArgumentException(
            "mirror prefix must end the host with a slash (" + prefix + "/), got: " + prefix);
      }
    }

    /**
     * Parses {@code PREFIX=REPLACEMENT}, split at the first {@code =}, as command lines and
     * configuration files write it.
     */
    public static UrlMirror parse(String text) {
      int eq = text.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("mirror must be PREFIX=REPLACEMENT, got: " + text);
      }
      return new UrlMirror(text.substring(0, eq).strip(), text.substring(eq + 1).strip());
    }

    /** The rewritten URL, or {@code null} if {@code url} does not start with the prefix. */
    public String rewrite(String url) {
      return url.startsWith(prefix) ? replacement + url.substring(prefix.length()) : null;
    }

    private static void requireUrlPrefix(String name, String value) {
      Objects.requireNonNull(value, name);
      String lower = value.toLowerCase(Locale.ROOT);
      if (!(lower.startsWith("http://") || lower.startsWith("https://")) || value.length() <= 8) {
        throw new IllegalArgumentException(
            "mirror " + name + " must be an http or https URL prefix, got: " + value);
      }
    }
  }

  /**
   * {@code url} rewritten by the first matching mirror, or {@code url} itself when none matches.
   */
  public String mirrored(String url) {
    for (UrlMirror mirror : mirrors) {
      String rewritten = mirror.rewrite(url);
      if (rewritten != null) {
        return rewritten;
      }
    }
    return url;
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got: " + value);
    }
  }

  /** The defaults listed on each component. */
  public static FetchPolicy defaults() {
    return new FetchPolicy(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, DEFAULT_MAX_BYTES,
        DEFAULT_MAX_REDIRECTS, false, List.of(), List.of());
  }

  /** This policy with every address allowed: for trusted callers, tests and intranet crawls. */
  public FetchPolicy withPrivateAddressesAllowed() {
    return new FetchPolicy(
        connectTimeout, totalTimeout, maxBytes, maxRedirects, true, allowedAddresses, mirrors);
  }

  /** This policy with these addresses or CIDR blocks allowed even when private. */
  public FetchPolicy withAllowedAddresses(List<String> addresses) {
    return new FetchPolicy(
        connectTimeout, totalTimeout, maxBytes, maxRedirects, allowPrivateAddresses, addresses, mirrors);
  }

  /** This policy with other time limits. */
  public FetchPolicy withTimeouts(Duration connect, Duration total) {
    return new FetchPolicy(connect, total, maxBytes, maxRedirects, allowPrivateAddresses,
        allowedAddresses, mirrors);
  }

  /** This policy with another size limit. */
  public FetchPolicy withMaxBytes(long bytes) {
    return new FetchPolicy(connectTimeout, totalTimeout, bytes, maxRedirects,
        allowPrivateAddresses, allowedAddresses, mirrors);
  }

  /** This policy with another redirect limit. */
  public FetchPolicy withMaxRedirects(int redirects) {
    return new FetchPolicy(connectTimeout, totalTimeout, maxBytes, redirects,
        allowPrivateAddresses, allowedAddresses, mirrors);
  }

  /** This policy with these URL mirrors, tried in order, replacing any it had. */
  public FetchPolicy withMirrors(List<UrlMirror> urlMirrors) {
    return new FetchPolicy(connectTimeout, totalTimeout, maxBytes, maxRedirects,
        allowPrivateAddresses, allowedAddresses, urlMirrors);
  }
}
