package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.fetch.FetchPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/ingest} and {@code GET /v1/ingest/{id}} against a real server and a real image host. */
class IngestJobRoutesTest {
  @TempDir Path dir;

  private static HttpServer imageHost() throws Exception {
    HttpServer host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    for (int i = 0; i < 2; i++) {
      byte[] jpeg = ImageRoutesTest.jpeg(20 + i);
      host.createContext("/img-" + i + ".jpg", exchange -> {
        try (exchange) {
          exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
          exchange.sendResponseHeaders(200, jpeg.length);
          exchange.getResponseBody().write(jpeg);
        }
      });
    }
    host.start();
    return host;
  }

  private static JsonNode awaitDone(LoupeServer server, String id) throws Exception {
    for (int i = 0; i < 300; i++) {
      JsonNode job = json(get(server, "/v1/ingest/" + id));
      if (!job.get("status").asText().equals("running")) {
        return job;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + id + " still running");
  }

  @Test
  void aJobFetchesItsUrlsAndCountsThem() throws Exception {
    HttpServer host = imageHost();
    String base = "http://127.0.0.1:" + host.getAddress().getPort();
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data"))
        .withFetchPolicy(FetchPolicy.defaults().withPrivateAddressesAllowed()))) {
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
      try {
        var started = postJson(server, "/v1/ingest", "{\"urls\": [\"" + base + "/img-0.jpg\", {\"url\": \"" + base
            + "/img-1.jpg\", \"title\": \"Second\", \"page_url\": \"https://pages.example/2\"}, \"" + base + "/gone.jpg\"]}");
        assertEquals(202, started.statusCode(), new String(started.body()));
        JsonNode job = json(started);
        assertEquals("ingest.job", job.get("object").asText());
        assertEquals(3, job.get("total").asInt());
        assertTrue(job.get("id").asText().matches("ingest_[0-9a-f]{24}"), job.toString());

        JsonNode done = awaitDone(server, job.get("id").asText());
        assertEquals("completed", done.get("status").asText(), done.toString());
        assertEquals(3, done.get("processed").asInt());
        assertEquals(2, done.get("new_images").asInt());
        assertEquals(1, done.get("failed").asInt());
        assertTrue(done.get("rate").asDouble() > 0, done.toString());
        assertEquals(base + "/gone.jpg", done.get("failures").get(0).get("url").asText());
        assertEquals(2, loupe.index().stats().images());
        JsonNode titled = json(get(server, "/v1/images?title=second")).get("data").get(0);
        assertEquals("https://pages.example/2", titled.get("occurrences").get(0).get("page_url").asText());
      } finally {
        server.stop();
      }
    } finally {
      host.stop(0);
    }
  }

  @Test
  void theServersFetchPolicyAppliesAndBadRequestsNameTheirField() throws Exception {
    HttpServer host = imageHost();
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
      try {
        String url = "http://127.0.0.1:" + host.getAddress().getPort() + "/img-0.jpg";
        JsonNode done = awaitDone(server, json(postJson(server, "/v1/ingest", "{\"urls\": [\"" + url + "\"]}"))
            .get("id").asText());
        assertEquals(1, done.get("failed").asInt());
        assertEquals(url + ": address 127.0.0.1 is loopback; fetching private addresses is disabled"
            + " (loupe --allow-private-addresses allows it)", done.get("failures").get(0).get("message").asText());

        assertError(postJson(server, "/v1/ingest", "{}"), 400, "missing_required_parameter", "urls");
        assertEquals("urls must be an array of 1 to 10000 URLs, got: 0 items",
            assertError(postJson(server, "/v1/ingest", "{\"urls\": []}"), 400, "invalid_value", "urls"));
        assertEquals("urls[1] must be an http(s) URL or a data:image/...;base64 URL (or upload the file as"
            + " multipart/form-data); local paths, file: URLs and bare Base64 are not accepted over HTTP, got: /etc/passwd",
            assertError(postJson(server, "/v1/ingest", "{\"urls\": [\"https://a.example/x.jpg\", \"/etc/passwd\"]}"),
                400, "invalid_image_url", "urls[1]"));
        assertEquals("No ingest job with id ingest_nothing.",
            assertError(get(server, "/v1/ingest/ingest_nothing"), 404, "not_found", null));
      } finally {
        server.stop();
      }
    } finally {
      host.stop(0);
    }
  }
}
