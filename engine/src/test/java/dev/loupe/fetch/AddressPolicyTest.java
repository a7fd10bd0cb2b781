package dev.loupe.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
  @Test
  void nonPublicAddressesAreNamed() {
    var expected = new LinkedHashMap<String, String>();
    expected.put("0.0.0.0", "unspecified (any-local)");
    expected.put("0.1.2.3", "unspecified (0.0.0.0/8)");
    expected.put("127.0.0.1", "loopback");
    expected.put("127.9.9.9", "loopback");
    expected.put("10.0.0.1", "private (site-local)");
    expected.put("172.16.0.1", "private (site-local)");
    expected.put("172.31.255.255", "private (site-local)");
    expected.put("192.168.1.1", "private (site-local)");
    expected.put("169.254.169.254", "link-local");
    expected.put("100.64.0.1", "carrier-grade NAT (100.64.0.0/10)");
    expected.put("100.127.255.255", "carrier-grade NAT (100.64.0.0/10)");
    expected.put("224.0.0.1", "multicast");
    expected.put("255.255.255.255", "broadcast");
    expected.put("::", "unspecified (any-local)");
    expected.put("::1", "loopback");
    expected.put("fe80::1", "link-local");
    expected.put("fc00::1", "unique-local (fc00::/7)");
    expected.put("fd12:3456::1", "unique-local (fc00::/7)");
    expected.put("ff02::1", "multicast");
    expected.put("::127.0.0.1", "loopback");
    expected.put("64:ff9b::a00:1", "private (site-local)");
    expected.put("8.8.8.8", null);
    expected.put("172.32.0.1", null);
    expected.put("100.128.0.1", null);
    expected.put("2001:4860:4860::8888", null);
    expected.put("::ffff:8.8.8.8", null);

    var actual = new LinkedHashMap<String, String>();
    expected.keySet().forEach(a -> actual.put(a, AddressRange.nonPublicKind(InetAddress.ofLiteral(a))));

    assertEquals(expected, actual);
  }

  @Test
  void allowedRanges() {
    AddressRange range = AddressRange.parse("10.20.0.0/16");
    assertEquals(Map.of("10.20.3.4", true, "10.21.0.1", false, "::1", false),
        Map.of("10.20.3.4", range.contains(InetAddress.ofLiteral("10.20.3.4")),
            "10.21.0.1", range.contains(InetAddress.ofLiteral("10.21.0.1")),
            "::1", range.contains(InetAddress.ofLiteral("::1"))));
    AddressRange v6 = AddressRange.parse("fd00::/8");
    assertEquals(true, v6.contains(InetAddress.ofLiteral("fd12::1")));
    assertEquals(false, v6.contains(InetAddress.ofLiteral("fc00::1")));
  }

  @Test
  void policyValidation() {
    assertEquals("allowedAddresses entries must be IP addresses or CIDR blocks, got: intranet.local",
        assertThrows(IllegalArgumentException.class,
            () -> FetchPolicy.defaults().withAllowedAddresses(List.of("intranet.local"))).getMessage());
    assertEquals("CIDR prefix length must be 0 to 32, got: 10.0.0.0/33",
        assertThrows(IllegalArgumentException.class,
            () -> FetchPolicy.defaults().withAllowedAddresses(List.of("10.0.0.0/33"))).getMessage());
    assertEquals("maxRedirects must be at least 0, got: -1",
        assertThrows(IllegalArgumentException.class,
            () -> FetchPolicy.defaults().withMaxRedirects(-1)).getMessage());
    assertEquals("totalTimeout must be positive, got: PT0S",
        assertThrows(IllegalArgumentException.class,
            () -> FetchPolicy.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ZERO)).getMessage());
  }

  @Test
  void defaults() {
    assertEquals(new FetchPolicy(Duration.ofSeconds(5), Duration.ofSeconds(20), 10485760, 5, false,
        List.of()), FetchPolicy.defaults());
  }
}
