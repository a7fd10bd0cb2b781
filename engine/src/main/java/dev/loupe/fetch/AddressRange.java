package dev.loupe.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address or CIDR block from {@link FetchPolicy#allowedAddresses()}, for example {@code
 * 127.0.0.2}, {@code 10.20.0.0/16} or {@code fd00::/8}. Parsed as a literal, never through DNS.
 */
final class AddressRange {
  private final byte[] network;
  private final int prefixLength;

  private AddressRange(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  static AddressRange parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    InetAddress address;
    try {
      address = InetAddress.ofLiteral(addressText.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "allowedAddresses entries must be IP addresses or CIDR blocks, got: " + text);
    }
    byte[] bytes = address.getAddress();
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1).strip());
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("CIDR prefix length must be 0 to " + bytes.length * 8
            + ", got: " + text);
      }
    }
    return new AddressRange(bytes, prefix);
  }

  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefixLength; bit += 8) {
      int bits = Math.min(8, prefixLength - bit);
      int mask = (0xff << (8 - bits)) & 0xff;
      if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why an address is not public, or {@code null} if it is. IPv6 forms that carry an IPv4 address
   * (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d})
   * are judged by that IPv4 address, since that is where the connection ends up.
   */
  static String nonPublicKind(InetAddress address) {
    InetAddress effective = embeddedIpv4(address);
    if (effective.isAnyLocalAddress()) {
      return "unspecified (any-local)";
    }
    if (effective.isLoopbackAddress()) {
      return "loopback";
    }
    if (effective.isLinkLocalAddress()) {
      return "link-local";
    }
    if (effective.isSiteLocalAddress()) {
      return "private (site-local)";
    }
    if (effective.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = effective.getAddress();
    if (effective instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) {
        return "unspecified (0.0.0.0/8)";
      }
      if (first == 100 && (second & 0xc0) == 64) {
        return "carrier-grade NAT (100.64.0.0/10)";
      }
      if (first == 255 && second == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255) {
        return "broadcast";
      }
    } else if ((b[0] & 0xfe) == 0xfc) {
      return "unique-local (fc00::/7)";
    }
    return null;
  }

  private static InetAddress embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    boolean zeros80 = allZero(b, 0, 10);
    boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    // ::a.b.c.d, but not :: (unspecified) or ::1 (loopback), which Inet6Address classifies itself.
    boolean compatible = allZero(b, 0, 12) && !allZero(b, 12, 15);
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12);
    if (!mapped && !compatible && !nat64) {
      return address;
    }
    try {
      return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError("four bytes are always a valid IPv4 address", e);
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
