package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.Edits;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import java.awt.image.BufferedImage;
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
 * The MCP endpoint {@code /mcp} of a live server, through the official MCP TypeScript SDK as the
 * client ({@code server/src/test/node/mcp.test.mjs}), and its HTTP edges through a plain client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpHttpTest {
  static final String KEY = "sk-mcp-test";

  private Loupe loupe;
  private LoupeServer server;
  private Path files;

  /** Indexes the demo's sunset as "Harbour at dawn" and two other pictures; writes the query files. */
  static Path indexPictures(Loupe loupe, Path dir) throws Exception {
    Path files = Files.createDirectories(dir.resolve("files"));
    BufferedImage harbour = Edits.resize(TestImages.demoPhoto("lomiri-sunset.jpg"), 640, 480);
    Files.write(files.resolve("query.jpg"), TestImages.encode(Edits.resize(harbour, 480, 360), "jpeg"));
    Files.write(files.resolve("new.jpg"), TestImages.encode(TestImages.scene(800, 600, 99), "jpeg"));
    loupe.ingestor().add(TestImages.encode(harbour, "jpeg"), new ImageRecord("https://news.example/harbour.jpg",
        "Harbour at dawn", "https://news.example/2021/harbour", Instant.parse("2021-05-01T09:00:00Z")));
    loupe.ingestor().add(TestImages.encode(Edits.resize(TestImages.demoPhoto("lomiri-picosdeeuropa.jpg"), 640, 480),
        "jpeg"), new ImageRecord("https://gallery.example/picos.jpg", "Mountains", null, null));
    loupe.ingestor().add(TestImages.encode(TestImages.scene(640, 480, 3), "jpeg"),
        new ImageRecord("https://gallery.example/scene.jpg", "A scene", null, null));
    loupe.index().commit();
    return files;
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    files = indexPictures(loupe, dir);
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(KEY)), loupe, List.of()).start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    loupe.close();
  }

  private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(ServerTestSupport.uri(server, "/mcp"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return ServerTestSupport.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theTypeScriptSdkUsesEveryToolResourceAndPrompt() throws Exception {
    Path nodeDir = ExternalTools.repoRoot().resolve("server/src/test/node");
    Path node = ExternalTools.executable("node");
    Prerequisites.require(node != null, "node is not installed (install nodejs and npm; .ci/run does)");
    Prerequisites.require(Files.isDirectory(nodeDir.resolve("node_modules/@modelcontextprotocol/sdk")),
        "the MCP TypeScript SDK is not installed: run `npm ci` in server/src/test/node (./test does)");
    String out = ExternalTools.run(List.of(node.toString(), "mcp.test.mjs"), nodeDir, Map.of(
        "LOUPE_MCP_URL", "http://127.0.0.1:" + server.port() + "/mcp", "LOUPE_API_KEY", KEY,
        "LOUPE_FILES", files.toString()), "", 120);
    for (String check : List.of("http: no key, no session", "http: image_search", "http: get_image",
        "http: collection_stats", "http: resource loupe://image/{id}", "http: prompt trace_origin", "http: errors",
        "http: a local path is refused", "http: add_image")) {
      assertTrue(out.contains("ok - " + check), "missing check " + check + " in:\n" + out);
    }
  }

  @Test
  void httpEdgesAnswerWithJsonRpcErrors() throws Exception {
    HttpResponse<String> garbage = post("{not json", Map.of());
    assertEquals(400, garbage.statusCode(), garbage.body());
    JsonNode parse = ServerTestSupport.JSON.readTree(garbage.body());
    assertEquals(-32700, parse.get("error").get("code").asInt());

    HttpResponse<String> version = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        Map.of("MCP-Protocol-Version", "1999-01-01"));
    assertEquals(400, version.statusCode(), version.body());
    assertTrue(version.body().contains("Unsupported MCP-Protocol-Version 1999-01-01"), version.body());

    HttpResponse<String> foreign = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        Map.of("Origin", "https://evil.example"));
    assertEquals(403, foreign.statusCode(), foreign.body());

    HttpResponse<String> ping = post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}", Map.of("Origin", "http://localhost:3000"));
    assertEquals(200, ping.statusCode(), ping.body());
    assertEquals(7, ServerTestSupport.JSON.readTree(ping.body()).get("id").asInt());

    HttpResponse<String> notification = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of());
    assertEquals(202, notification.statusCode(), notification.body());

    HttpResponse<String> get = ServerTestSupport.CLIENT.send(HttpRequest.newBuilder(ServerTestSupport.uri(server, "/mcp"))
        .header("Authorization", "Bearer " + KEY).header("Accept", "text/event-stream").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));

    HttpResponse<String> anonymous = ServerTestSupport.CLIENT.send(HttpRequest.newBuilder(ServerTestSupport.uri(server, "/mcp"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

    String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"image_search\","
        + "\"arguments\":{\"image\":\"data:image/png;base64," + "A".repeat(25 << 20) + "\"}}}";
    HttpResponse<String> tooLarge = post(huge, Map.of());
    assertEquals(413, tooLarge.statusCode());
    assertTrue(new String(tooLarge.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).contains("bytes"),
        tooLarge.body());
  }
}
