package dev.loupe.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loupe.fetch.FetchException.Reason;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Numeric hosts are judged on the parsed URL: {@link ImageReference#parse} does no I/O. */
class NumericHostTest {
  @ParameterizedTest
  @ValueSource(strings = {"0177.0.0.1", "0x7f.1", "0x7f.0.0.1", "2130706433", "127.1", "127.0.1",
      "127.0.0.01", "127.0.0.1.", "256.0.0.1", "1.2.3.4.5", "example.0x10", "localhost.127"})
  void ambiguousIpv4FormsAreRefused(String host) {
    String url = "http://" + host + ":8080/cat.jpg";
    FetchException e = assertThrows(FetchException.class, () -> ImageReference.parse(url));

    assertEquals(Reason.BAD_REFERENCE, e.reason());
    assertEquals(url + ": ambiguous numeric host " + host + "; write an IPv4 address as four decimal"
        + " numbers 0-255 without leading zeros (like 192.0.2.1), or use a host name", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[::FFFF:10.0.0.1]"})
  void ipv6EmbeddingIpv4IsRefused(String host) {
    String url = "http://" + host + "/cat.jpg";
    FetchException e = assertThrows(FetchException.class, () -> ImageReference.parse(url));

    assertEquals(url + ": IPv6 host " + host + " embeds an IPv4 address; write the IPv4 address as"
        + " a.b.c.d instead", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"http://127.0.0.1:9/a.jpg, 127.0.0.1", "http://192.0.2.255/a.jpg, 192.0.2.255",
      "http://0.0.0.0/a.jpg, 0.0.0.0", "http://[::1]/a.jpg, [::1]", "http://[2001:db8::7]/a.jpg, [2001:db8::7]",
      "http://img-1.example.com/a.jpg, img-1.example.com", "http://0x.example/a.jpg, 0x.example",
      "http://user@10.0.0.1/a.jpg, 10.0.0.1", "http://1e100.net/a.jpg, 1e100.net"})
  void canonicalFormsAndNamesPass(String url, String host) throws FetchException {
    assertEquals(new ImageReference.RemoteUrl(URI.create(url)), ImageReference.parse(url));
    assertEquals(host, URI.create(url).getHost());
  }
}
