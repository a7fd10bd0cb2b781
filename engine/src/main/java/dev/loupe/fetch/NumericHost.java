package dev.loupe.fetch;

import dev.loupe.fetch.FetchException.Reason;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Refuses every numeric host but the two canonical forms: four decimal numbers 0-255 without
 * leading zeros ({@code 127.0.0.1}) and a bracketed IPv6 address that embeds no IPv4 address.
 *
 * <p>Octal ({@code 0177.0.0.1}), hexadecimal ({@code 0x7f.1}), integer ({@code 2130706433}) and
 * short ({@code 127.1}) forms mean one address to a browser or curl (WHATWG URL, {@code
 * inet_aton}) and another, or a DNS name, to Java: {@code 0177.0.0.1} is 177.0.0.1 to {@link
 * InetAddress}, 127.0.0.1 to curl. The address check must judge the address that a client would
 * reach, so ambiguous forms are refused outright, and IPv4-mapped or -compatible IPv6 ({@code
 * [::ffff:127.0.0.1]}) with them, since they name an IPv4 address in IPv6 clothing. Checked on the
 * parsed URL: no lookup, no connection.
 *
 * <p>A host "is numeric" as WHATWG defines it for IPv4: its last label (after dropping one trailing
 * dot) is all digits or {@code 0x} followed by hex digits.
 */
final class NumericHost {
  private NumericHost() {}

  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

  /**
   * @throws FetchException {@link Reason#BAD_REFERENCE} naming the host, if it is a numeric form
   *     other than the canonical ones
   */
  static void check(String where, URI uri) throws FetchException {
    String host = host(uri);
    if (host == null || host.isEmpty()) {
      return; // "URL has no host" is reported by the caller
    }
    if (host.startsWith("[")) {
      checkIpv6(where, host);
      return;
    }
    String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = trimmed.substring(trimmed.lastIndexOf('.') + 1);
    if (!NUMERIC_LABEL.matcher(last).matches()) {
      return; // a name
    }
    if (!CANONICAL_IPV4.matcher(host).matches()) {
      throw new FetchException(Reason.BAD_REFERENCE, where + ": ambiguous numeric host " + host
          + "; write an IPv4 address as four decimal numbers 0-255 without leading zeros"
          + " (like 192.0.2.1), or use a host name");
    }
  }

  private static void checkIpv6(String where, String bracketed) throws FetchException {
    String inner = bracketed.substring(1, bracketed.length() - (bracketed.endsWith("]") ? 1 : 0));
    boolean embedsIpv4 = inner.indexOf('.') >= 0;
    if (!embedsIpv4) {
      try {
        // Java turns an IPv4-mapped literal (::ffff:7f00:1) into an Inet4Address.
        embedsIpv4 = InetAddress.ofLiteral(inner) instanceof Inet4Address;
      } catch (IllegalArgumentException e) {
        throw new FetchException(Reason.BAD_REFERENCE, where + ": invalid IPv6 address " + bracketed);
      }
    }
    if (embedsIpv4) {
      throw new FetchException(Reason.BAD_REFERENCE, where + ": IPv6 host " + bracketed
          + " embeds an IPv4 address; write the IPv4 address as a.b.c.d instead");
    }
  }

  /**
   * The host as written: {@link URI#getHost()} is null for forms RFC 2396 does not call a host name
   * ({@code 0x7f.1}, {@code 2130706433}), so those are cut from the raw authority.
   */
  private static String host(URI uri) {
    if (uri.getHost() != null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    if (authority == null) {
      return null;
    }
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
