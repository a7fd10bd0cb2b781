package dev.loupe.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.fetch.FetchException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP servers on loopback addresses, real client. */
class ImageFetcherTest {
  private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7, 8};

  /** Loopback is private; the tests open exactly their servers' addresses. */
  private static final FetchPolicy POLICY =
      FetchPolicy.defaults().withAllowedAddresses(List.of("127.0.0.1", "127.0.0.2"));

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<ImageFetcher> fetchers = new ArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    servers.forEach(server -> server.stop(0));
    fetchers.forEach(ImageFetcher::close);
  }

  private ImageFetcher fetcher(FetchPolicy policy) {
    ImageFetcher fetcher = new ImageFetcher(policy);
    fetchers.add(fetcher);
    return fetcher;
  }

  interface Handler {
    void handle(HttpExchange exchange) throws Exception;
  }

  /** A server on {@code host}, port 0, answering every path with {@code handler}; returns its base URL. */
  private String serve(String host, Handler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(
        Thread.ofPlatform().name("test-http-", 1).daemon(true).factory()));
    server.createContext("/", exchange -> {
      try (exchange) {
        handler.handle(exchange);
      } catch (IOException e) {
        // the client hung up, as it does on purpose in the size and time tests
      } catch (Exception e) {
        throw new IOException(e);
      }
    });
    server.start();
    servers.add(server);
    return "http://" + host + ":" + server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().set("Content-Type", type);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
  }

  private static FetchException failure(ImageFetcher fetcher, String location) {
    return assertThrows(FetchException.class, () -> fetcher.readLocation(location));
  }

  private static void assertFailure(Reason reason, String message, FetchException e) {
    assertEquals(message, e.getMessage());
    assertEquals(reason, e.reason());
  }

  @Test
  void readsAnImage() throws Exception {
    String base = serve("127.0.0.1", x -> send(x, 200, "image/png; charset=binary", IMAGE));

    FetchedImage image = fetcher(POLICY).readLocation(base + "/cat.png");

    assertArrayEquals(IMAGE, image.bytes());
    assertEquals("image/png", image.contentType());
    assertEquals(base + "/cat.png", image.location());
  }

  @Test
  void missingContentTypeAndOctetStreamAreAccepted() throws Exception {
    String base = serve("127.0.0.1", x -> send(x, 200,
        x.getRequestURI().getPath().equals("/bin") ? "application/octet-stream" : null, IMAGE));

    assertEquals(null, fetcher(POLICY).readLocation(base + "/none").contentType());
    assertEquals("application/octet-stream", fetcher(POLICY).readLocation(base + "/bin").contentType());
  }

  @Test
  void httpErrorStatus() throws Exception {
    String base = serve("127.0.0.1", x -> send(x, 404, "text/html", "<h1>no</h1>".getBytes()));

    assertFailure(Reason.HTTP_STATUS, base + "/x.jpg: HTTP 404", failure(fetcher(POLICY), base + "/x.jpg"));
  }

  @Test
  void slowHeadersTimeOut() throws Exception {
    String base = serve("127.0.0.1", x -> {
      Thread.sleep(3000);
      send(x, 200, "image/png", IMAGE);
    });
    var fetcher = fetcher(POLICY.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));

    assertFailure(Reason.TIMEOUT, base + "/slow: no complete response within 0.3 s",
        failure(fetcher, base + "/slow"));
  }

  @Test
  void slowBodyTimesOut() throws Exception {
    String base = serve("127.0.0.1", x -> {
      x.getResponseHeaders().set("Content-Type", "image/png");
      x.sendResponseHeaders(200, 1000);
      OutputStream out = x.getResponseBody();
      for (int i = 0; i < 100; i++) {
        out.write(new byte[10]);
        out.flush();
        Thread.sleep(100);
      }
    });
    var fetcher = fetcher(POLICY.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500)));

    long start = System.nanoTime();
    assertFailure(Reason.TIMEOUT, base + "/trickle: no complete response within 0.5 s",
        failure(fetcher, base + "/trickle"));
    assertEquals(true, System.nanoTime() - start < 3_000_000_000L, "gave up in time");
  }

  @Test
  void declaredOversizedBodyIsRefusedUpFront() throws Exception {
    String base = serve("127.0.0.1", x -> send(x, 200, "image/jpeg", new byte[5000]));

    assertFailure(Reason.TOO_LARGE, base + "/big: response is 5000 bytes; at most 1000 bytes are allowed",
        failure(fetcher(POLICY.withMaxBytes(1000)), base + "/big"));
  }

  @Test
  void undeclaredOversizedBodyIsCutOff() throws Exception {
    String base = serve("127.0.0.1", x -> {
      x.getResponseHeaders().set("Content-Type", "image/jpeg");
      x.sendResponseHeaders(200, 0); // chunked, no Content-Length
      for (int i = 0; i < 1000; i++) {
        x.getResponseBody().write(new byte[1000]); // a megabyte, far past the limit
      }
    });

    assertFailure(Reason.TOO_LARGE, base + "/stream: response is larger than 1000 bytes",
        failure(fetcher(POLICY.withMaxBytes(1000)), base + "/stream"));
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() throws Exception {
    String base = serve("127.0.0.1", x -> {
      x.sendResponseHeaders(200, 0);
      x.getResponseBody().write(new byte[1000]);
    });

    assertEquals(1000, fetcher(POLICY.withMaxBytes(1000)).readLocation(base + "/exact").bytes().length);
  }

  @Test
  void htmlIsNotAnImage() throws Exception {
    String base = serve("127.0.0.1", x -> send(x, 200, "text/html; charset=utf-8", "<html>".getBytes()));

    assertFailure(Reason.BAD_CONTENT_TYPE, base + "/page: content type text/html is not an image",
        failure(fetcher(POLICY), base + "/page"));
  }

  @Test
  void redirectsAreFollowedIncludingRelativeOnes() throws Exception {
    String base = serve("127.0.0.1", x -> {
      switch (x.getRequestURI().getPath()) {
        case "/a" -> redirect(x, "b/c"); // relative to /a: /b/c
        case "/b/c" -> redirect(x, "/img");
        default -> send(x, 200, "image/png", IMAGE);
      }
    });

    FetchedImage image = fetcher(POLICY).readLocation(base + "/a");

    assertEquals(base + "/img", image.location());
    assertArrayEquals(IMAGE, image.bytes());
  }

  @Test
  void tooManyRedirects() throws Exception {
    String base = serve("127.0.0.1", x -> {
      int n = Integer.parseInt(x.getRequestURI().getPath().substring(3));
      redirect(x, "/r/" + (n + 1));
    });

    assertFailure(Reason.TOO_MANY_REDIRECTS, base + "/r/0: more than 5 redirects",
        failure(fetcher(POLICY), base + "/r/0"));
  }

  @Test
  void redirectToABlockedAddressIsRefusedBeforeConnecting() throws Exception {
    List<String> hits = new ArrayList<>();
    String target = serve("127.0.0.1", x -> {
      hits.add(x.getRequestURI().getPath());
      send(x, 200, "image/png", IMAGE);
    });
    String entry = serve("127.0.0.2", x -> redirect(x, target + "/internal.png"));
    FetchPolicy only127002 = FetchPolicy.defaults().withAllowedAddresses(List.of("127.0.0.2/32"));

    assertFailure(Reason.BLOCKED_ADDRESS, entry + "/go (redirected to " + target
            + "/internal.png): address 127.0.0.1 is loopback; fetching private addresses is"
            + " disabled (loupe --allow-private-addresses allows it)",
        failure(fetcher(only127002), entry + "/go"));
    assertEquals(List.of(), hits);

    FetchedImage image = fetcher(only127002.withPrivateAddressesAllowed()).readLocation(entry + "/go");
    assertEquals(target + "/internal.png", image.location());
    assertEquals(List.of("/internal.png"), hits);
  }

  @Test
  void loopbackIsBlockedByDefault() {
    assertFailure(Reason.BLOCKED_ADDRESS, "http://127.0.0.1:8080/x.jpg: address 127.0.0.1 is loopback;"
            + " fetching private addresses is disabled (loupe --allow-private-addresses allows it)",
        failure(fetcher(FetchPolicy.defaults()), "http://127.0.0.1:8080/x.jpg"));
    // An IPv4-mapped literal is refused as ambiguous before any address check (NumericHostTest).
    assertFailure(Reason.BAD_REFERENCE, "http://[::ffff:10.1.2.3]/x.jpg: IPv6 host [::ffff:10.1.2.3]"
            + " embeds an IPv4 address; write the IPv4 address as a.b.c.d instead",
        failure(fetcher(FetchPolicy.defaults()), "http://[::ffff:10.1.2.3]/x.jpg"));
  }

  @Test
  void closedPortIsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/x.jpg";

    assertFailure(Reason.UNREACHABLE, url + ": connection to 127.0.0.1:" + port + " refused",
        failure(fetcher(POLICY), url));
  }

  @Test
  void dataUrls() throws Exception {
    var fetcher = fetcher(FetchPolicy.defaults());
    String encoded = Base64.getEncoder().encodeToString(IMAGE);

    FetchedImage image = fetcher.readLocation("data:image/png;base64," + encoded);
    assertArrayEquals(IMAGE, image.bytes());
    assertEquals("image/png", image.contentType());
    assertEquals("data:image/png;base64,… (16 characters)", image.location());

    assertArrayEquals(new byte[] {'a', ' ', (byte) 0xff, '+'},
        fetcher.readLocation("data:application/octet-stream,a%20%ff+").bytes());
    assertArrayEquals(IMAGE, fetcher.readLocation("data:;base64," + encoded).bytes());
  }

  @Test
  void badDataUrls() {
    var fetcher = fetcher(FetchPolicy.defaults().withMaxBytes(20));

    assertFailure(Reason.BAD_REFERENCE,
        "data:image/png;base64,… (7 characters): invalid base64 (Illegal base64 character 21)",
        failure(fetcher, "data:image/png;base64,abc!def"));
    assertFailure(Reason.BAD_REFERENCE, "data:image/png;base64: data URL has no comma before its data",
        failure(fetcher, "data:image/png;base64"));
    assertFailure(Reason.TOO_LARGE, "data:image/png;base64,… (24 characters): data is 24 characters;"
            + " at most 20 characters are allowed",
        failure(fetcher, "data:image/png;base64," + "A".repeat(24)));
    assertFailure(Reason.BAD_CONTENT_TYPE,
        "data:text/plain,… (5 characters): content type text/plain is not an image",
        failure(fetcher, "data:text/plain,Hello"));
    assertFailure(Reason.BAD_REFERENCE, "data:image/png,… (3 characters): invalid percent-encoding at character 1",
        failure(fetcher, "data:image/png,a%g"));
  }

  @Test
  void rawBase64() throws Exception {
    byte[] bytes = new byte[48];
    System.arraycopy(IMAGE, 0, bytes, 0, IMAGE.length);
    String text = Base64.getMimeEncoder(20, new byte[] {'\n'}).encodeToString(bytes);

    FetchedImage image = fetcher(FetchPolicy.defaults()).readLocation(text);

    assertArrayEquals(bytes, image.bytes());
    assertEquals("base64 data (" + text.length() + " characters)", image.location());
    assertFailure(Reason.TOO_LARGE, "base64 data (" + text.length() + " characters): data is "
            + text.length() + " characters; at most 20 characters are allowed",
        failure(fetcher(FetchPolicy.defaults().withMaxBytes(20)), text));
  }

  @Test
  void localFiles() throws Exception {
    Path file = dir.resolve("cat.png");
    Files.write(file, IMAGE);
    var fetcher = fetcher(FetchPolicy.defaults().withMaxBytes(IMAGE.length));

    assertArrayEquals(IMAGE, fetcher.readLocation(file.toString()).bytes());
    assertArrayEquals(IMAGE, fetcher.readLocation(file.toUri().toString()).bytes());

    Path missing = dir.resolve("missing.png");
    assertFailure(Reason.NOT_FOUND, missing + ": no such file", failure(fetcher, missing.toString()));

    Path big = dir.resolve("big.png");
    Files.write(big, new byte[IMAGE.length + 1]);
    assertFailure(Reason.TOO_LARGE, big + ": file is 13 bytes; at most 12 bytes are allowed",
        failure(fetcher, big.toString()));

    assertFailure(Reason.BAD_REFERENCE, dir + ": is a directory, not a file",
        failure(fetcher, dir.toString()));
  }
}
