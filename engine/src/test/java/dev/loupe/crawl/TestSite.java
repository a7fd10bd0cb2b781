package dev.loupe.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A generated web site on a loopback address and port 0, served by the JDK's HTTP server: each
 * path answers what the test put there, and every request is logged with its timing so that tests
 * can check what was fetched and how politely.
 */
final class TestSite implements AutoCloseable {
  /** One response; {@code delayMillis} passes before the headers are sent. */
  record Response(int status, String contentType, byte[] body, Map<String, String> headers,
      long delayMillis) {
    static Response html(String html) {
      return new Response(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of(), 0);
    }

    static Response of(String type, byte[] body) {
      return new Response(200, type, body, Map.of(), 0);
    }

    static Response text(String type, String body) {
      return of(type, body.getBytes(StandardCharsets.UTF_8));
    }

    Response withHeaders(Map<String, String> more) {
      return new Response(status, contentType, body, more, delayMillis);
    }

    Response withDelay(long millis) {
      return new Response(status, contentType, body, headers, millis);
    }
  }

  /** A request as the server saw it: path, headers of interest, start and end in nanoseconds. */
  record Request(String path, String userAgent, String ifNoneMatch, long startNanos, long endNanos) {}

  interface Handler {
    Response handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final Map<String, Handler> paths = new ConcurrentHashMap<>();
  private final List<Request> log = java.util.Collections.synchronizedList(new ArrayList<>());
  private final String base;

  TestSite(String address) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(
        Thread.ofPlatform().name("test-site-", 1).daemon(true).factory()));
    server.createContext("/", this::serve);
    server.start();
    base = "http://" + address + ":" + server.getAddress().getPort();
  }

  /** {@code http://address:port}, without a trailing slash. */
  String base() {
    return base;
  }

  String url(String path) {
    return base + path;
  }

  void put(String path, Response response) {
    paths.put(path, exchange -> response);
  }

  void put(String path, Handler handler) {
    paths.put(path, handler);
  }

  void remove(String path) {
    paths.remove(path);
  }

  /** Paths requested so far, in order. */
  List<String> requested() {
    synchronized (log) {
      return log.stream().map(Request::path).toList();
    }
  }

  List<Request> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  long count(String path) {
    return requested().stream().filter(path::equals).count();
  }

  private void serve(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    try (exchange) {
      Handler handler = paths.get(path);
      Response response = handler == null
          ? new Response(404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8), Map.of(), 0)
          : handler.handle(exchange);
      if (response.delayMillis() > 0) {
        Thread.sleep(response.delayMillis());
      }
      if (response.contentType() != null) {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
      }
      response.headers().forEach(exchange.getResponseHeaders()::add);
      boolean noBody = response.status() == 304 || response.body().length == 0;
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client hung up, as it does on purpose in the size and time tests.
    } finally {
      log.add(new Request(path, exchange.getRequestHeaders().getFirst("User-Agent"),
          exchange.getRequestHeaders().getFirst("If-None-Match"), start, System.nanoTime()));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
