package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.fetch.FetchPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/crawls}, {@code GET} and {@code DELETE /v1/crawls/{id}} against a real server and a site on loopback. */
class CrawlJobRoutesTest {
  @TempDir Path dir;

  /** The site's pages and pictures by path; tests change it between crawls. */
  private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
  private volatile long pageDelayMillis;
  private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
  private HttpServer site;

  private String site() throws Exception {
    site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    site.createContext("/", exchange -> {
      try (exchange) {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        byte[] body = pages.get(path);
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        if (path.endsWith(".html") && pageDelayMillis > 0) {
          try {
            Thread.sleep(pageDelayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        exchange.getResponseHeaders().set("Content-Type", path.endsWith(".jpg") ? "image/jpeg"
            : path.endsWith(".txt") ? "text/plain" : "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    site.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    site.start();
    pages.put("/robots.txt", "User-agent: *\nAllow: /\n".getBytes(StandardCharsets.UTF_8));
    return "http://127.0.0.1:" + site.getAddress().getPort();
  }

  private void page(String path, String html) {
    pages.put(path, html.getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void stopSite() {
    if (site != null) {
      site.stop(0);
    }
  }

  private static JsonNode awaitEnd(LoupeServer server, String id) throws Exception {
    for (int i = 0; i < 600; i++) {
      JsonNode job = json(get(server, "/v1/crawls/" + id));
      if (!job.get("status").asText().equals("running")) {
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("crawl " + id + " still running");
  }

  private static Loupe open(Path data, boolean allowPrivate) throws Exception {
    FetchPolicy policy = allowPrivate ? FetchPolicy.defaults().withPrivateAddressesAllowed() : FetchPolicy.defaults();
    return Loupe.open(LoupeConfig.defaults(data).withFetchPolicy(policy));
  }

  @Test
  void twoCrawlsBuildProvenance() throws Exception {
    String base = site();
    pages.put("/a.jpg", ImageRoutesTest.jpeg(31));
    pages.put("/b.jpg", ImageRoutesTest.jpeg(32));
    page("/", "<title>Home</title><img src=\"/a.jpg\" alt=\"Harbour at dawn\"><a href=\"/p2.html\">next</a>");
    page("/p2.html", "<title>Second</title><img src=\"/b.jpg\" alt=\"Lighthouse\">");
    try (Loupe loupe = open(dir.resolve("data"), true)) {
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
      try {
        var started = postJson(server, "/v1/crawls", "{\"seeds\": [\"" + base + "/\"], \"delay_ms\": 100}");
        assertEquals(202, started.statusCode(), new String(started.body(), StandardCharsets.UTF_8));
        JsonNode job = json(started);
        assertEquals("crawl.job", job.get("object").asText());
        assertTrue(job.get("id").asText().matches("crawl_[0-9a-f]{24}"), job.toString());
        assertEquals(base + "/", job.get("seeds").get(0).asText());

        JsonNode first = awaitEnd(server, job.get("id").asText());
        assertEquals("completed", first.get("status").asText(), first.toString());
        assertEquals(2, first.get("pages_fetched").asInt(), first.toString());
        assertEquals(2, first.get("new_images").asInt(), first.toString());
        assertEquals(0, first.get("failures").size(), first.toString());
        Instant firstCrawl = Instant.now();
        Thread.sleep(1100);

        // Between the crawls the harbour picture moves to a new page and leaves the home page.
        page("/", "<title>Home</title><a href=\"/p2.html\">next</a><a href=\"/p3.html\">more</a>");
        page("/p3.html", "<title>Archive</title><img src=\"/a.jpg\" alt=\"Harbour, reposted\">");
        JsonNode second = awaitEnd(server, json(postJson(server, "/v1/crawls",
            "{\"seeds\": [\"" + base + "/\"], \"delay_ms\": 100}")).get("id").asText());
        assertEquals("completed", second.get("status").asText(), second.toString());
        assertEquals(0, second.get("new_images").asInt(), second.toString());
        assertEquals(1, second.get("new_occurrences").asInt(), "the harbour on the archive page: " + second);
        assertEquals(2, loupe.index().stats().images());

        JsonNode harbour = json(get(server, "/v1/images?title=harbour")).get("data").get(0);
        Map<String, JsonNode> byPage = new TreeMap<>();
        harbour.get("occurrences").forEach(o -> byPage.put(o.get("page_url").asText(), o));
        assertEquals(List.of(base + "/", base + "/p3.html"), List.copyOf(byPage.keySet()), harbour.toString());
        JsonNode gone = byPage.get(base + "/");
        JsonNode moved = byPage.get(base + "/p3.html");
        assertTrue(Instant.parse(gone.get("last_seen").asText()).isBefore(firstCrawl),
            "gone from the home page: last seen in the first crawl: " + gone);
        assertTrue(Instant.parse(moved.get("first_seen").asText()).isAfter(firstCrawl),
            "first seen on the archive page in the second crawl: " + moved);
        assertEquals("Harbour, reposted", moved.get("title").asText());
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void oneCrawlAtATimeAndARunningCrawlStops() throws Exception {
    String base = site();
    pageDelayMillis = 300;
    StringBuilder links = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      links.append("<a href=\"/p").append(i).append(".html\">p</a>");
      page("/p" + i + ".html", "<p>page " + i);
    }
    page("/", links.toString());
    try (Loupe loupe = open(dir.resolve("data"), true)) {
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
      try {
        String id = json(postJson(server, "/v1/crawls", "{\"seeds\": [\"" + base + "/\"], \"delay_ms\": 100}"))
            .get("id").asText();
        assertEquals("A crawl is already running (" + id + "); one runs at a time. Stop it with DELETE"
                + " /v1/crawls/" + id + " or wait for it to end.",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"" + base + "/other\"]}"), 409,
                "crawl_running", null));
        var stopped = send(HttpRequest.newBuilder(uri(server, "/v1/crawls/" + id)).DELETE());
        assertEquals(200, stopped.statusCode());
        JsonNode ended = awaitEnd(server, id);
        assertEquals("stopped", ended.get("status").asText(), ended.toString());
        assertTrue(ended.get("pages_fetched").asInt() < 21, "stopped before the end: " + ended);

        // The next crawl with the same seeds resumes the stopped one.
        pageDelayMillis = 0;
        JsonNode resumed = awaitEnd(server, json(postJson(server, "/v1/crawls",
            "{\"seeds\": [\"" + base + "/\"], \"delay_ms\": 100}")).get("id").asText());
        assertEquals("completed", resumed.get("status").asText(), resumed.toString());
        assertTrue(resumed.get("resumed").asBoolean(), resumed.toString());
        assertEquals(21, ended.get("pages_fetched").asInt() + resumed.get("pages_fetched").asInt(),
            "every page read once over the two runs: " + ended + " " + resumed);
      } finally {
        server.stop();
      }
    }
  }

  @Test
  void badRequestsNameTheirFieldAndTheFetchPolicyApplies() throws Exception {
    String base = site();
    page("/", "<img src=\"/a.jpg\">");
    try (Loupe loupe = open(dir.resolve("data"), false)) {
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
      try {
        JsonNode refused = awaitEnd(server, json(postJson(server, "/v1/crawls",
            "{\"seeds\": [\"" + base + "/\"]}")).get("id").asText());
        assertEquals("completed", refused.get("status").asText(), refused.toString());
        assertEquals(base + "/robots.txt: address 127.0.0.1 is loopback; fetching private addresses is disabled"
            + " (loupe --allow-private-addresses allows it)", refused.get("failures").get(0).get("message").asText());
        assertEquals(0, requests.get(), "nothing reached the site");

        assertError(postJson(server, "/v1/crawls", "{}"), 400, "missing_required_parameter", "seeds");
        assertEquals("seeds must be an array of 1 to 100 URLs, got: 0 items",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": []}"), 400, "invalid_value", "seeds"));
        assertEquals("seeds[0]: seed must be an http(s) URL, got: file:///etc/passwd",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"file:///etc/passwd\"]}"), 400,
                "invalid_value", "seeds[0]"));
        assertEquals("seeds[1] must be a URL string, got: 42",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\", 42]}"), 400,
                "invalid_value", "seeds[1]"));
        assertEquals("Unknown field workers: a crawl takes delay_ms, depth, fresh, include, max_hosts, max_images,"
                + " max_mb, max_pages, scope, seeds.",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\"], \"workers\": 999}"),
                400, "unknown_parameter", "workers"));
        assertEquals("scope must be host, domain or any, got: \"web\"",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\"], \"scope\": \"web\"}"),
                400, "invalid_value", "scope"));
        assertEquals("include is not a valid pattern: Unclosed group near index 5",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\"], \"include\": \"(news\"}"),
                400, "invalid_value", "include"));
        assertEquals("delay_ms must be an integer from 100 to 60000, got: 0",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\"], \"delay_ms\": 0}"),
                400, "invalid_value", "delay_ms"));
        assertEquals("max_pages must be an integer from 1 to 100000, got: 1000000",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\"], \"max_pages\": 1000000}"),
                400, "invalid_value", "max_pages"));
        assertEquals("fresh must be true or false, got: \"yes\"",
            assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\"], \"fresh\": \"yes\"}"),
                400, "invalid_value", "fresh"));
        assertError(postJson(server, "/v1/crawls", "{\"seeds\": [\"https://a.example/\""), 400, "invalid_json", null);
        assertEquals("No crawl job with id crawl_nothing.",
            assertError(get(server, "/v1/crawls/crawl_nothing"), 404, "not_found", null));
        assertEquals(405, send(HttpRequest.newBuilder(uri(server, "/v1/crawls")).GET()).statusCode());
        assertEquals(0, loupe.index().stats().images());
        assertEquals(0, requests.get(), "no refused request reached the site");
      } finally {
        server.stop();
      }
    }
  }
}
