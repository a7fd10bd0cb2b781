package dev.loupe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.fetch.FetchPolicy;
import dev.loupe.image.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset fetched from two loopback hosts serving good and bad pictures: fetches per host are
 * bounded, failures are counted by reason, a second run skips what is indexed, and a broken row
 * keeps the rows before it.
 */
class DatasetIngestTest {
  @TempDir Path dir;
  private final List<Host> hosts = new ArrayList<>();

  /** A loopback server that notes how many requests it serves at once. */
  private static final class Host {
    final HttpServer server;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger busiest = new AtomicInteger();
    final AtomicInteger imageRequests = new AtomicInteger();

    Host(int seed) throws IOException {
      byte[][] pictures = new byte[6][]; // Encoded before serving, so that no fetch waits for it.
      for (int n = 0; n < pictures.length; n++) {
        pictures[n] = TestImages.encode(TestImages.scene(160, 120, seed * 100L + n), "jpeg");
      }
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon(true).factory()));
      server.createContext("/", exchange -> {
        try (exchange) {
          String path = exchange.getRequestURI().getPath();
          byte[] body;
          String type = "image/jpeg";
          if (path.startsWith("/good/")) {
            imageRequests.incrementAndGet();
            // Counted while the picture is being prepared, before any byte of it is sent: the
            // client cannot have freed its slot yet. (The slow picture is not counted: the client
            // gives up on it after 2 s while this handler still sleeps.)
            busiest.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
              Thread.sleep(150); // Long enough for fetches to overlap.
            } finally {
              inFlight.decrementAndGet();
            }
            body = pictures[Integer.parseInt(path.substring(6, path.indexOf('.')))];
          } else if (path.equals("/page.html")) {
            type = "text/html";
            body = "<p>a page</p>".getBytes();
          } else if (path.equals("/garbage.jpg")) {
            body = "these bytes are not a picture".getBytes();
          } else if (path.equals("/huge.jpg")) {
            body = new byte[300_000];
          } else if (path.equals("/slow.jpg")) {
            Thread.sleep(5000);
            body = new byte[0];
          } else {
            exchange.sendResponseHeaders(404, -1);
            return;
          }
          exchange.getResponseHeaders().set("Content-Type", type);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      server.start();
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }
  }

  @AfterEach
  void stop() {
    hosts.forEach(h -> h.server.stop(0));
  }

  private Loupe open() throws IOException {
    LoupeConfig config = LoupeConfig.defaults(dir.resolve("data"));
    // Loopback IPv4 only: the IPv6 loopback stays refused, to count a refused private address.
    FetchPolicy policy = config.fetchPolicy().withAllowedAddresses(List.of("127.0.0.1/32"))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)).withMaxBytes(200_000);
    return Loupe.open(config.withFetchPolicy(policy)
        .withIngest(config.ingest().withThreads(8).withMaxPerHost(2)));
  }

  private Path jsonl(String name, List<String> urls) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String url : urls) {
      text.append("{\"url\": \"").append(url).append("\", \"caption\": \"picture at ").append(url).append("\"}\n");
    }
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void boundedPerHostFailuresByReasonAndResumed() throws IOException {
    Host a = new Host(1);
    Host b = new Host(2);
    hosts.add(a);
    hosts.add(b);
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      urls.add(a.url("/good/" + i + ".jpg"));
    }
    urls.add(b.url("/good/0.jpg"));
    urls.add(b.url("/good/1.jpg"));
    urls.add(a.url("/missing.jpg"));
    urls.add(b.url("/page.html"));
    urls.add(a.url("/garbage.jpg"));
    urls.add(b.url("/huge.jpg"));
    urls.add(a.url("/slow.jpg"));
    urls.add("http://[::1]:" + a.server.getAddress().getPort() + "/good/9.jpg");
    Path dataset = jsonl("shard.jsonl", urls);

    try (Loupe loupe = open()) {
      IngestReport first = loupe.ingestor().run(new DatasetSource(dataset), p -> { });
      assertEquals(8, first.newImages(), first.failures().toString());
      assertEquals(List.of(Map.entry("not an image", 2L), Map.entry("HTTP 404", 1L),
              Map.entry("refused private address", 1L), Map.entry("timeout", 1L), Map.entry("too large", 1L)),
          List.copyOf(first.failuresByReason().entrySet()));
      assertEquals(new IngestFailure(a.url("/missing.jpg"), "HTTP 404", a.url("/missing.jpg") + ": HTTP 404"),
          first.failures().getFirst());
      assertEquals(2, a.busiest.get(), "six slow pictures on one host, eight threads: two at a time");
      assertTrue(b.busiest.get() <= 2, "host b served " + b.busiest.get() + " at once");

      int fetched = a.imageRequests.get() + b.imageRequests.get();
      IngestReport second = loupe.ingestor().run(new DatasetSource(dataset), p -> { });
      assertEquals(8, second.skipped(), "indexed URLs are skipped");
      assertEquals(0, second.newImages());
      assertEquals(6, second.failures().size(), "failures are tried again");
      assertEquals(fetched, a.imageRequests.get() + b.imageRequests.get(), "no indexed picture fetched again");
    }
  }

  @Test
  void brokenRowKeepsTheRowsBeforeIt() throws IOException {
    Host a = new Host(3);
    hosts.add(a);
    Path dataset = Files.writeString(dir.resolve("broken.jsonl"), "{\"url\": \"" + a.url("/good/0.jpg") + "\"}\n"
        + "{\"url\": \"" + a.url("/good/1.jpg") + "\"}\n{\"url\": broken\n");
    try (Loupe loupe = open()) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> loupe.ingestor().run(new DatasetSource(dataset), p -> { }));
      assertTrue(e.getMessage().startsWith(dataset + ": unreadable row near line 3: Unrecognized token 'broken'"),
          e.getMessage());
    }
    try (Loupe reopened = open()) {
      assertTrue(reopened.index().hasSource(a.url("/good/0.jpg")));
      assertTrue(reopened.index().hasSource(a.url("/good/1.jpg")));
      assertFalse(reopened.index().hasSource(a.url("/good/2.jpg")));
    }
  }
}
