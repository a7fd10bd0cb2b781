package dev.loupe.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Files served on a loopback port chosen by the system: {@code .jpg} as {@code image/jpeg}, {@code
 * .txt} as {@code text/plain}, the rest as HTML; other paths answer 404.
 */
final class LoopbackSite implements AutoCloseable {
  private final HttpServer server;

  LoopbackSite(Map<String, byte[]> files) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon(true).factory()));
    server.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        byte[] body = files.get(path);
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", path.endsWith(".jpg") ? "image/jpeg"
            : path.endsWith(".txt") ? "text/plain" : "text/html");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
