package dev.loupe.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * Fetches must not depend on the common fork-join pool: the JDK completes {@code sendAsync}
 * through it, and on a 2-core machine it has one worker, so one blocking task anywhere in the
 * process stalled every fetch until its timeout.
 */
class CommonPoolIndependenceTest {
  @Test
  void fetchSucceedsWhileTheCommonPoolIsBlocked() throws Exception {
    byte[] body = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/x.png", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "image/png");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<Void>> blockers = new ArrayList<>();
    try (ImageFetcher fetcher = new ImageFetcher(FetchPolicy.defaults().withPrivateAddressesAllowed()
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3)))) {
      for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism(); i++) {
        blockers.add(CompletableFuture.runAsync(() -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      // With the pool held, a fetch that needed it would fail with a timeout after 3 s.
      FetchedImage image = fetcher.readLocation("http://127.0.0.1:" + server.getAddress().getPort() + "/x.png");
      assertArrayEquals(body, image.bytes());
    } finally {
      release.countDown();
      blockers.forEach(CompletableFuture::join);
      server.stop(0);
    }
  }
}
