package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.DihedralTransform;
import dev.loupe.features.Edits;
import dev.loupe.fetch.FetchPolicy;
import dev.loupe.image.TestImages;
import dev.loupe.index.Occurrence;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.server.responses.ResponsesRoutes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web pages in a real browser: {@code server/src/test/web/pages.test.mjs} drives headless
 * Chromium through Playwright against a live server with an API key, and prints one {@code ok -}
 * line per check. Skipped, with what to install, when node, Chromium or the npm package are
 * missing ({@code .ci/run} installs all three).
 *
 * <p>Set {@code LOUPE_SCREENSHOTS_DIR} to also save the pages' screenshots there (the ones in
 * {@code docs/screenshots/} come from this). The static routes themselves (content types, caching,
 * traversal, auth) are checked without a browser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiTest {
  private static final String KEY = "sk-web-test";
  private static final long TIMEOUT_SECONDS = 240;
  private static final List<String> CHECKS = List.of(
      "static pages load without a key", "search by file", "provenance", "sort", "domain filter",
      "detail", "search by URL", "search by paste", "invalid image", "text without a model", "partial match outlined", "phone width", "playground",
      "collection",
      "no result layout before a search; local files are not labelled with the server host", "collection list");

  private HttpServer imageHost;
  private Loupe loupe;
  private ResponsesRoutes responses;
  private LoupeServer server;
  private Path files;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    files = Files.createDirectories(dir.resolve("files"));
    // Demo photographs: the query and its copies are one, the gallery holds pictures alike to it
    // (mountains at dusk, fields) and one that is not, so every group of the page has hits.
    BufferedImage harbour = Edits.resize(TestImages.demoPhoto("lomiri-sunset.jpg"), 640, 480);
    byte[] query = TestImages.encode(harbour, "jpeg");
    Files.write(files.resolve("query.jpg"), query);
    Files.write(files.resolve("tiny.png"), TestImages.encode(TestImages.scene(5, 5, 3), "png"));
    Files.write(files.resolve("new.jpg"), TestImages.encode(TestImages.scene(800, 600, 99), "jpeg"));
    // The harbour as the right half of a wider picture, beside one not in the collection.
    BufferedImage side = new BufferedImage(1280, 480, BufferedImage.TYPE_3BYTE_BGR);
    var g = side.createGraphics();
    g.drawImage(TestImages.scene(640, 480, 77), 0, 0, null);
    g.drawImage(harbour, 640, 0, null);
    g.dispose();
    Files.write(files.resolve("side.jpg"), TestImages.encode(side, "jpeg"));

    imageHost = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    imageHost.createContext("/photo.jpg", exchange -> {
      try (exchange) {
        exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
        exchange.sendResponseHeaders(200, query.length);
        exchange.getResponseBody().write(query);
      }
    });
    imageHost.start();

    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data"))
        .withFetchPolicy(FetchPolicy.defaults().withPrivateAddressesAllowed()));
    // Seen by two crawls, on one page in 2021 and on another in 2024 but not again on the first:
    // the timeline shows both, the first as not seen since.
    sighting(query, "https://news.example/img/harbour.jpg", "Harbour at dawn", "https://news.example/2021/harbour", "2021-05-01");
    sighting(query, "https://mirror.example/harbour.jpg", "Harbour, mirrored", "https://mirror.example/2024/harbour", "2024-06-01");
    add(TestImages.encode(Edits.resize(harbour, 1280, 960), "jpeg"), "https://archive.example/harbour-full.jpg",
        "Harbour at dawn, full size", "https://archive.example/photos/harbour", "2019-03-10");
    add(TestImages.encode(Edits.resize(Edits.transform(harbour, DihedralTransform.MIRROR_X), 480, 360), "jpeg"),
        "https://blog.example/harbour-flipped.jpg", "Harbour, flipped for a header", "https://blog.example/post/12",
        "2023-08-20");
    String[] titles = {"Orchard in autumn", "Market street", "Quiet bay", "Hill road", "Old mill", "City lights"};
    BufferedImage[] gallery = {TestImages.demoPhoto("lomiri-picosdeeuropa.jpg"),
        TestImages.demoPhoto("lomiri-aitzgorri.jpg"), TestImages.demoPhoto("lomiri-seeding.jpg"),
        TestImages.demoPhoto("lomiri-bridge.jpg"), TestImages.demoPhoto("lomiri-life.jpg"), TestImages.scene(800, 600, 15)};
    for (int i = 0; i < titles.length; i++) {
      int width = 480 + 160 * i;
      add(TestImages.encode(Edits.resize(gallery[i], width, width * 3 / 4), "jpeg"),
          "https://gallery.example/scene-" + i + ".jpg", titles[i], "https://gallery.example/set/" + i,
          (2016 + i) + "-0" + (1 + i) + "-15");
    }
    loupe.index().commit();

    String[] base = new String[1];
    responses = ResponsesRoutes.forEngine(loupe, () -> base[0], ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(KEY)), loupe,
        List.of(responses)).start();
    base[0] = "http://127.0.0.1:" + server.port();
  }

  /** An occurrence seen once, on {@code date}, as a crawl records it (first and last seen that day). */
  private void sighting(byte[] bytes, String url, String title, String pageUrl, String date) throws Exception {
    var analysis = loupe.analyzer().analyze(bytes);
    loupe.index().add(analysis.signature(), analysis.metadata(),
        Occurrence.of(url, url, pageUrl, title, Instant.parse(date + "T09:00:00Z")));
  }

  private void add(byte[] bytes, String url, String title, String pageUrl, String date) throws Exception {
    loupe.ingestor().add(bytes, new ImageRecord(url, title, pageUrl, Instant.parse(date + "T09:00:00Z")));
  }

  @AfterAll
  void stop() throws IOException {
    if (server != null) {
      server.stop();
    }
    if (responses != null) {
      responses.close();
    }
    if (loupe != null) {
      loupe.close();
    }
    if (imageHost != null) {
      imageHost.stop(0);
    }
  }

  @Test
  void pagesInChromium() throws Exception {
    Path webDir = ExternalTools.repoRoot().resolve("server/src/test/web");
    Path node = ExternalTools.executable("node");
    Prerequisites.require(node != null, "node is not installed (install nodejs and npm; .ci/run does)");
    Path chromium = chromium();
    Prerequisites.require(chromium != null, "Chromium is not installed (apt-get install chromium; .ci/run does)");
    Prerequisites.require(Files.isDirectory(webDir.resolve("node_modules/playwright-core")), "playwright-core is not"
        + " installed: run `npm ci` in server/src/test/web (.ci/run does)");

    String stdout = ExternalTools.run(List.of(node.toString(), "pages.test.mjs"), webDir, Map.of(
        "LOUPE_SCREENSHOTS_DIR", System.getProperty("loupe.screenshots", ""),
        "LOUPE_WEB_URL", "http://127.0.0.1:" + server.port(),
        "LOUPE_API_KEY", KEY,
        "LOUPE_IMAGE_URL", "http://127.0.0.1:" + imageHost.getAddress().getPort() + "/photo.jpg",
        "LOUPE_FILES", files.toString(),
        "LOUPE_CHROMIUM", chromium.toString(),
        "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), "", TIMEOUT_SECONDS);
    String output = "stdout:\n" + stdout;
    for (String check : CHECKS) {
      assertTrue(stdout.contains("ok - " + check + "\n") || stdout.contains("ok - " + check + ":"),
          "missing check '" + check + "'\n" + output);
    }
  }

  @Test
  void pagesAndAssetsAreServedWithoutAKey() throws Exception {
    for (String path : List.of("/", "/playground", "/collection")) {
      HttpResponse<byte[]> page = ServerTestSupport.get(server, path);
      assertEquals(200, page.statusCode(), path);
      assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElse(""), path);
      assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(""), path);
      assertTrue(page.headers().firstValue("content-security-policy").orElse("").startsWith("default-src 'self'"));
    }
    HttpResponse<byte[]> script = ServerTestSupport.get(server, "/assets/api.js");
    assertEquals(200, script.statusCode());
    assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("content-type").orElse(""));
    assertEquals("nosniff", script.headers().firstValue("x-content-type-options").orElse(""));
    String etag = script.headers().firstValue("etag").orElseThrow();
    HttpResponse<byte[]> again = ServerTestSupport.send(HttpRequest.newBuilder(ServerTestSupport.uri(server, "/assets/api.js"))
        .header("If-None-Match", etag).GET());
    assertEquals(304, again.statusCode());
    assertEquals(0, again.body().length);
    assertEquals("text/css; charset=utf-8", ServerTestSupport.get(server, "/assets/loupe.css").headers()
        .firstValue("content-type").orElse(""));
  }

  @Test
  void onlyTheWebFolderIsReachable() throws Exception {
    for (String path : List.of("/assets/..%2FWebRoutes.class", "/assets/%2e%2e%2fweb%2findex.html",
        "/assets/index.html", "/assets/Api.js", "/assets/.hidden.js")) {
      // Not a page or an asset name, so not public: 401 without the key, 404 with it.
      assertEquals(401, ServerTestSupport.get(server, path).statusCode(), path);
      HttpResponse<byte[]> response = ServerTestSupport.send(HttpRequest.newBuilder(ServerTestSupport.uri(server, path))
          .header("Authorization", "Bearer " + KEY).GET());
      assertEquals(404, response.statusCode(), path + ": " + new String(response.body(), StandardCharsets.UTF_8));
    }
    assertEquals(404, ServerTestSupport.get(server, "/assets/missing.js").statusCode());
    // Raw traversal that the client would normalise away, sent as typed.
    try (var socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("GET /assets/../../dev/loupe/server/LoupeServer.class HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertTrue(!status.contains(" 200"), status);
    }
  }

  @Test
  void apiRoutesStillNeedTheKey() throws Exception {
    ServerTestSupport.assertError(ServerTestSupport.get(server, "/v1/stats"), 401, "invalid_api_key", null);
    ServerTestSupport.assertError(ServerTestSupport.send(HttpRequest.newBuilder(ServerTestSupport.uri(server, "/"))
        .POST(HttpRequest.BodyPublishers.noBody())), 401, "invalid_api_key", null);
    HttpResponse<byte[]> stats = ServerTestSupport.send(HttpRequest.newBuilder(ServerTestSupport.uri(server, "/v1/stats"))
        .header("Authorization", "Bearer " + KEY).GET());
    assertEquals(200, stats.statusCode());
    var body = ServerTestSupport.json(stats);
    assertEquals("stats", body.get("object").asText());
    assertTrue(body.get("images").asLong() >= 9, body.toString());
    assertTrue(body.get("occurrences").asLong() >= body.get("images").asLong(), body.toString());
    assertTrue(body.get("bytes_on_disk").asLong() > 0, body.toString());
    Instant.parse(body.get("last_commit").asText());
  }

  private static Path chromium() {
    String override = System.getenv("LOUPE_CHROMIUM");
    if (override != null && Files.isExecutable(Path.of(override))) {
      return Path.of(override);
    }
    for (String name : List.of("chromium", "chromium-browser")) {
      Path found = ExternalTools.executable(name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
