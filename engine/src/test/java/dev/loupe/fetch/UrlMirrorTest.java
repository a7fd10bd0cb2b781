package dev.loupe.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.fetch.FetchException.Reason;
import dev.loupe.fetch.FetchPolicy.UrlMirror;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FetchPolicy#mirrors()}: the rewrite rules, and fetches through a loopback mirror. */
class UrlMirrorTest {
  private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 9, 8, 7};

  private final List<String> paths = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getRawPath();
        paths.add(path);
        if (path.startsWith("/mirror/moved/")) {
          // Sends the client back to the public name, which the mirror must catch again.
          exchange.getResponseHeaders().set("Location", "https://img.example.com/final.png");
          exchange.sendResponseHeaders(302, -1);
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", "image/png");
        exchange.sendResponseHeaders(200, IMAGE.length);
        exchange.getResponseBody().write(IMAGE);
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private FetchPolicy mirroredToLoopback() {
    return FetchPolicy.defaults()
        .withMirrors(List.of(new UrlMirror("https://img.example.com/", base + "/mirror/")))
        .withAllowedAddresses(List.of("127.0.0.1"));
  }

  @Test
  void firstMatchingPrefixWins() {
    FetchPolicy policy = FetchPolicy.defaults().withMirrors(List.of(
        UrlMirror.parse("https://img.example.com/special/=http://10.0.0.9/s/"),
        UrlMirror.parse("https://img.example.com/=http://10.0.0.5:8080/m/")));

    assertEquals("http://10.0.0.9/s/a.png", policy.mirrored("https://img.example.com/special/a.png"));
    assertEquals("http://10.0.0.5:8080/m/x/a.png?q=1", policy.mirrored("https://img.example.com/x/a.png?q=1"));
    // Matching is on the text, so neither another host nor another case is rewritten.
    assertEquals("https://img.example.com.evil.org/a.png",
        policy.mirrored("https://img.example.com.evil.org/a.png"));
    assertEquals("HTTPS://IMG.EXAMPLE.COM/a.png", policy.mirrored("HTTPS://IMG.EXAMPLE.COM/a.png"));
    assertNull(new UrlMirror("https://a.example/", "http://b.example/").rewrite("https://c.example/"));
  }

  @Test
  void mirrorsAreValidated() {
    assertEquals("mirror must be PREFIX=REPLACEMENT, got: https://img.example.com/",
        assertThrows(IllegalArgumentException.class,
            () -> UrlMirror.parse("https://img.example.com/")).getMessage());
    assertEquals("mirror prefix must end the host with a slash (https://img.example.com/), got:"
            + " https://img.example.com",
        assertThrows(IllegalArgumentException.class,
            () -> new UrlMirror("https://img.example.com", "http://10.0.0.5/")).getMessage());
    assertEquals("mirror replacement must be an http or https URL prefix, got: file:///srv/images/",
        assertThrows(IllegalArgumentException.class,
            () -> UrlMirror.parse("https://img.example.com/=file:///srv/images/")).getMessage());
    assertEquals("mirror prefix must be an http or https URL prefix, got: ftp://img.example.com/",
        assertThrows(IllegalArgumentException.class,
            () -> new UrlMirror("ftp://img.example.com/", "http://10.0.0.5/")).getMessage());
  }

  @Test
  void existingConstructorMeansNoMirrors() {
    FetchPolicy old = new FetchPolicy(Duration.ofSeconds(5), Duration.ofSeconds(20), 10485760, 5,
        false, List.of());
    assertEquals(FetchPolicy.defaults(), old);
    assertEquals(List.of(), old.mirrors());
    FetchPolicy mirrored = mirroredToLoopback();
    // Every other with* keeps the mirrors.
    assertEquals(mirrored.mirrors(), mirrored.withMaxBytes(100).withMaxRedirects(1)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)).withPrivateAddressesAllowed()
        .mirrors());
  }

  @Test
  void aPublicUrlIsFetchedFromTheMirror() throws Exception {
    try (ImageFetcher fetcher = new ImageFetcher(mirroredToLoopback())) {
      FetchedImage image = fetcher.readLocation("https://img.example.com/imgextra/O1_!!6-2-tps-788-450.png");

      assertArrayEquals(IMAGE, image.bytes());
      assertEquals(base + "/mirror/imgextra/O1_!!6-2-tps-788-450.png", image.location());
      assertEquals(List.of("/mirror/imgextra/O1_!!6-2-tps-788-450.png"), paths);
    }
  }

  @Test
  void redirectsAreMirroredToo() throws Exception {
    try (ImageFetcher fetcher = new ImageFetcher(mirroredToLoopback())) {
      FetchedImage image = fetcher.readLocation("https://img.example.com/moved/a.png");

      assertEquals(base + "/mirror/final.png", image.location());
      assertEquals(List.of("/mirror/moved/a.png", "/mirror/final.png"), paths);
    }
  }

  @Test
  void theMirroredAddressIsStillChecked() {
    FetchPolicy closed = FetchPolicy.defaults()
        .withMirrors(List.of(new UrlMirror("https://img.example.com/", base + "/mirror/")));
    try (ImageFetcher fetcher = new ImageFetcher(closed)) {
      FetchException e = assertThrows(FetchException.class,
          () -> fetcher.readLocation("https://img.example.com/a.png"));

      assertEquals(Reason.BLOCKED_ADDRESS, e.reason());
      assertEquals("https://img.example.com/a.png (mirrored to " + base + "/mirror/a.png): address"
          + " 127.0.0.1 is loopback; fetching private addresses is disabled (loupe --allow-private-addresses allows it)",
          e.getMessage());
      assertEquals(List.of(), paths);
    }
  }
}
