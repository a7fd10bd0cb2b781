package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.image.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe crawl} against a small site on loopback, then searched from the command line. */
class CrawlCommandTest {
  @TempDir Path dir;
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(Map<String, byte[]> files) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon(true).factory()));
    server.createContext("/", exchange -> {
      try (exchange) {
        byte[] body = files.get(exchange.getRequestURI().getPath());
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        String path = exchange.getRequestURI().getPath();
        exchange.getResponseHeaders().set("Content-Type", path.endsWith(".jpg") ? "image/jpeg"
            : path.endsWith(".txt") ? "text/plain" : "text/html");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void crawlThenSearchShowsThePage() throws Exception {
    byte[] photo = TestImages.encode(TestImages.scene(400, 300, 7), "jpeg");
    String base = serve(Map.of(
        "/robots.txt", "User-agent: *\nDisallow:\n".getBytes(StandardCharsets.UTF_8),
        "/", "<title>Harbour</title><img src=\"/boat.jpg\" alt=\"Red boat\">".getBytes(StandardCharsets.UTF_8),
        "/boat.jpg", photo));
    String data = "--data=" + dir.resolve("data");

    String[] refused = run("crawl", data, "--quiet", base + "/");
    assertEquals("1", refused[0], refused[2]);
    assertTrue(refused[2].contains("  failed: " + base + "/robots.txt: address 127.0.0.1 is loopback;"
        + " fetching private addresses is disabled (set allowPrivateAddresses)"), refused[2]);

    String[] crawled = run("crawl", data, "--quiet", "--allow-private-addresses", "--delay-ms=10", base + "/");
    assertEquals("0", crawled[0], crawled[2]);
    assertTrue(crawled[1].startsWith("1 pages read, 0 unchanged, 1 new images, 0 new occurrences, 0 seen again,"
        + " 0 failed, "), crawled[1]);

    java.nio.file.Path query = dir.resolve("query.jpg");
    java.nio.file.Files.write(query, photo);
    String[] search = run("search", data, query.toString(), "--json");
    assertEquals("0", search[0], search[2]);
    JsonNode hit = new ObjectMapper().readTree(search[1]).get("results").get(0);
    assertEquals("Red boat", hit.get("title").asText());
    assertEquals(base + "/boat.jpg", hit.get("url").asText());
    assertEquals(base + "/", hit.get("page_url").asText());
  }
}
