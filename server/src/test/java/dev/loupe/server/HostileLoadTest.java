package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.PixelBudget;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load built to hurt: slow clients, more heavy requests than workers, a dead listener. Against a
 * real server with tight {@link ServerLimits}; the slow requests are uploads whose body never
 * comes, which hold a worker as a slow client would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileLoadTest {
  Loupe loupe;

  @BeforeAll
  void open(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir));
  }

  @AfterAll
  void close() throws Exception {
    loupe.close();
  }

  private LoupeServer start(ServerLimits limits) {
    return new LoupeServer(ServerConfig.defaults().withPort(0), limits, loupe, List.of(), List.of("builtin"))
        .start();
  }

  @Test
  void idleKeptAliveConnectionIsClosed() throws Exception {
    LoupeServer server = start(ServerLimits.defaults().withIdleTimeout(Duration.ofMillis(400)));
    try (Socket idle = connect(server)) {
      idle.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(idle.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
      assertTrue(answer.endsWith("{\"status\":\"ok\",\"images\":0}"), answer);
    } finally {
      server.stop();
    }
  }

  @Test
  void heavyRequestsBeyondWorkersAndQueueAreRefusedWhileHealthAnswers() throws Exception {
    LoupeServer server = start(ServerLimits.defaults().withAdmission(1, 1, Duration.ofMillis(10_000)));
    List<Socket> slow = new ArrayList<>();
    try {
      assertEquals("{\"status\":\"ready\",\"running\":0,\"waiting\":0}", body(get(server, "/readyz")));
      slow.add(stalledUpload(server)); // takes the worker
      // Only then the request that must wait: sent at once, it could reach the worker first, finish,
      // and leave the queue empty behind the stalled upload.
      awaitRunning(server);
      CompletableFuture<HttpResponse<byte[]>> queued = ServerTestSupport.CLIENT.sendAsync(HttpRequest.newBuilder(
          ServerTestSupport.uri(server, "/v1/images/search")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofByteArray());
      awaitSaturated(server);

      HttpResponse<byte[]> refused = ServerTestSupport.postJson(server, "/v1/images/search", "{}");
      long healthStart = System.nanoTime();
      HttpResponse<byte[]> health = get(server, "/healthz");
      long healthMillis = (System.nanoTime() - healthStart) / 1_000_000;
      HttpResponse<byte[]> ready = get(server, "/readyz");

      assertEquals(429, refused.statusCode());
      assertEquals("{\"error\":{\"message\":\"Too many requests: 1 are running and 1 waiting, the most this"
          + " server takes. Retry after 10 s.\",\"type\":\"rate_limit_error\",\"param\":null,"
          + "\"code\":\"rate_limit_exceeded\"},\"request_id\":\"" + requestId(refused) + "\"}", body(refused));
      assertEquals("10", refused.headers().firstValue("retry-after").orElse(null));
      assertEquals("10000", refused.headers().firstValue("retry-after-ms").orElse(null));
      assertEquals(200, health.statusCode());
      // Loose on a shared machine; the soak benchmark measures it under CPU load.
      assertTrue(healthMillis < 500, "healthz took " + healthMillis + " ms");
      assertEquals(503, ready.statusCode());
      assertEquals("Not ready: 1 heavy requests are running and 1 waiting, the most this server takes.",
          json(ready).at("/error/message").asText());
      assertEquals("overloaded", json(ready).at("/error/code").asText());
      assertEquals("1", ready.headers().firstValue("retry-after").orElse(null));

      // The queued request waited 10 s for the worker, then was told to come back.
      HttpResponse<byte[]> waited = queued.get(30, TimeUnit.SECONDS);
      assertEquals(503, waited.statusCode());
      assertEquals("{\"error\":{\"message\":\"The server is busy: no worker was free within 10000 ms."
          + " Retry after 10 s.\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded\"},"
          + "\"request_id\":\"" + requestId(waited) + "\"}", body(waited));
      assertEquals("10", waited.headers().firstValue("retry-after").orElse(null));
    } finally {
      for (Socket s : slow) {
        s.close();
      }
      server.stop();
    }
  }

  @Test
  void anUploadThatStallsMidBodyIsClosedAndFreesItsWorker() throws Exception {
    LoupeServer server = start(ServerLimits.defaults().withAdmission(1, 1, Duration.ofMillis(100))
        .withReadTimeout(Duration.ofMillis(1000)));
    try (Socket stalled = stalledUpload(server)) {
      awaitRunning(server);
      long start = System.nanoTime();
      // The server closes the connection: the read ends (EOF or reset) well before the socket's own 10 s.
      try {
        stalled.getInputStream().readAllBytes();
      } catch (java.net.SocketException reset) {
        // a reset is a close too
      }
      long closedAfter = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closedAfter < 5_000, "closed after " + closedAfter + " ms");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!body(get(server, "/readyz")).contains("\"running\":0")) {
        assertTrue(System.nanoTime() < deadline, "the stalled upload kept its worker");
        Thread.sleep(10);
      }
      // The one worker takes the next request instead of refusing it.
      HttpResponse<byte[]> next = ServerTestSupport.postJson(server, "/v1/images/search", "{}");
      assertEquals(400, next.statusCode(), body(next));
    } finally {
      server.stop();
    }
  }

  @Test
  void decodeThatCannotReserveItsPixelsIs503() throws Exception {
    PixelBudget previous = PixelBudget.process();
    PixelBudget small = new PixelBudget(2L << 20, Duration.ofMillis(300));
    PixelBudget.setProcess(small);
    LoupeServer server = start(ServerLimits.defaults());
    try {
      byte[] jpeg = ImageRoutesTest.jpeg(7); // 640x480, decoded at full size: 3 bytes a pixel and the result
      HttpResponse<byte[]> busy;
      try (PixelBudget.Reservation everything = small.reserve(2L << 20)) {
        busy = ServerTestSupport.postMultipart(server, "/v1/images/search", java.util.Map.of(), jpeg);
      }
      HttpResponse<byte[]> later = ServerTestSupport.postMultipart(server, "/v1/images/search", java.util.Map.of(), jpeg);

      assertEquals(503, busy.statusCode());
      assertEquals("{\"error\":{\"message\":\"The server is decoding too many pixels at once: 1970176 bytes of"
          + " pixel memory did not free up within 300 ms (budget 2097152 bytes).\",\"type\":\"server_error\","
          + "\"param\":null,\"code\":\"overloaded\"},\"request_id\":\"" + requestId(busy) + "\"}", body(busy));
      assertEquals("1", busy.headers().firstValue("retry-after").orElse(null));
      assertEquals(200, later.statusCode(), body(later));
      assertEquals(2L << 20, small.availableBytes());
    } finally {
      server.stop();
      PixelBudget.setProcess(previous);
    }
  }

  @Test
  void portInUseFailsStartWithTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(taken.getLocalPort()), loupe, List.of());

      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          server::start);

      assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use", e.getMessage());
    }
  }

  @Test
  void watchdogReportsAListenerThatStoppedOnce() throws Exception {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    CountDownLatch lost = new CountDownLatch(1);
    try (ListenerWatchdog watchdog = ListenerWatchdog.start("127.0.0.1", listener.getLocalPort(),
        Duration.ofMillis(50), lost::countDown)) {
      assertTrue(!lost.await(400, TimeUnit.MILLISECONDS), "reported a listener that is alive");
      listener.close();
      assertTrue(lost.await(5, TimeUnit.SECONDS), "did not report the closed listener");
    }
  }

  private static Socket connect(LoupeServer server) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** A search upload that announces a body and never sends it. */
  private static Socket stalledUpload(LoupeServer server) throws IOException {
    Socket socket = connect(server);
    socket.getOutputStream().write(("POST /v1/images/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
        + "\r\nContent-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static void awaitRunning(LoupeServer server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    while (!body(get(server, "/readyz")).contains("\"running\":1")) {
      assertTrue(System.nanoTime() < deadline, "the stalled upload never took the worker");
      Thread.sleep(10);
    }
  }

  /**
   * Waits for the worker and the queue to fill: within 8 s, under the 10 s the queued request may
   * wait, so that a loaded machine still sees both before the queued one gives up.
   */
  private static void awaitSaturated(LoupeServer server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    while (get(server, "/readyz").statusCode() != 503) {
      assertTrue(System.nanoTime() < deadline, "the stalled uploads never filled the worker and the queue");
      Thread.sleep(10);
    }
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static String requestId(HttpResponse<byte[]> response) {
    return response.headers().firstValue("x-request-id").orElseThrow();
  }
}
