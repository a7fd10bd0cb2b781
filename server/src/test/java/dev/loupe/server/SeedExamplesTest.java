package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.fetch.FetchPolicy;
import dev.loupe.fetch.FetchPolicy.UrlMirror;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.server.responses.ResponsesRoutes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published image_search examples (seed 002: Node with the official {@code openai} package,
 * non-streaming and streaming, and the two curl commands) run unchanged against a live server,
 * plus openai-node's stricter {@code responses.stream()} helper.
 *
 * <p>The examples are read from the seed file at test time, so the test follows the published
 * text rather than a copy of it. Only the base URL is replaced; the key goes in through the
 * variable the examples read. The examples' image lives on a public host this test cannot reach,
 * so the engine's URL mirror sends it to a loopback server holding a generated picture of the
 * same name and size, which is also in the index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedExamplesTest {
  private static final String SEED = "002_f27ed23395f1bf74.txt";
  private static final String SEED_BASE_URL = "https://{WorkspaceId}.cn-beijing.maas.aliyuncs.com/compatible-mode/v1";
  private static final String IMAGE_HOST = "https://img.alicdn.com/";
  private static final String IMAGE_PATH = "imgextra/i4/O1CN01YbrnSS1qtmsAkw0Ud_!!6000000005554-2-tps-788-450.png";
  private static final String TITLE = "Misty lake with a stone arch bridge";
  private static final String API_KEY = "sk-seed-test";
  private static final long TIMEOUT_SECONDS = 90;

  private Path nodeDir;
  private String seed;
  private HttpServer imageHost;
  private Loupe loupe;
  private ResponsesRoutes responses;
  private LoupeServer server;
  private String baseUrl;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path repo = ExternalTools.repoRoot();
    nodeDir = repo.resolve("server/src/test/node");
    Path seedFile = ExternalTools.seedFile(repo, SEED);
    Prerequisites.require(Files.isRegularFile(seedFile), "the seed examples are missing: expected " + seedFile
        + " (the shared/seeds folder beside the repository)");
    seed = Files.readString(seedFile);

    byte[] png = TestImages.encode(TestImages.scene(788, 450, 2024), "png");
    imageHost = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    imageHost.createContext("/", exchange -> {
      try (exchange) {
        boolean found = exchange.getRequestURI().getRawPath().equals("/" + IMAGE_PATH);
        exchange.getResponseHeaders().set("Content-Type", found ? "image/png" : "text/plain");
        byte[] body = found ? png : "not found".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(found ? 200 : 404, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    imageHost.start();
    String mirror = "http://127.0.0.1:" + imageHost.getAddress().getPort() + "/";

    FetchPolicy fetch = FetchPolicy.defaults()
        .withMirrors(List.of(new UrlMirror(IMAGE_HOST, mirror)))
        .withAllowedAddresses(List.of("127.0.0.1"));
    loupe = Loupe.open(config(dir.resolve("data")).withFetchPolicy(fetch));
    loupe.ingestor().add(png, new ImageRecord(IMAGE_HOST + IMAGE_PATH, TITLE, null, null));
    for (int i = 1; i <= 4; i++) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(640, 480, i), "jpeg"),
          new ImageRecord("https://example.org/other-" + i + ".jpg", "Other scene " + i, null, null));
    }
    loupe.index().commit();

    String[] base = new String[1];
    responses = ResponsesRoutes.forEngine(loupe, () -> base[0], ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(API_KEY)), loupe,
        List.of(responses)).start();
    base[0] = "http://127.0.0.1:" + server.port();
    baseUrl = base[0] + "/compatible-mode/v1";
  }

  /** The engine's configuration: the embedded index here; another backend's test supplies its own. */
  LoupeConfig config(Path dataDir) throws IOException {
    return LoupeConfig.defaults(dataDir);
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

  // ---- Node, with the official package ----

  @Test
  void nodeExample() throws Exception {
    String out = node(nodeBlock(0), Map.of());

    assertToolResults(out, "[Tool Call] Search by image (status: completed)");
    String text = between(out, "\n[Model Response]\n", "\n\n[Token Usage]");
    assertFalse(text.isBlank(), out);
    assertUsage(out);
  }

  @Test
  void nodeStreamingExample() throws Exception {
    String out = node(nodeBlock(1), Map.of());

    assertTrue(out.startsWith("[Tool Call] Searching by image...\n"), out);
    assertToolResults(out, "[Tool Call] Search by image complete (status: completed)");
    String streamed = between(out, "\n[Model Response]\n", "\n\n[Token Usage]");
    assertFalse(streamed.isBlank(), out);
    assertUsage(out);
  }

  @Test
  void nodeStreamHelper() throws Exception {
    String script = Files.readString(nodeDir.resolve("stream-helper.mjs"));
    String out = node(script, Map.of("LOUPE_BASE_URL", baseUrl, "LOUPE_IMAGE_URL", IMAGE_HOST + IMAGE_PATH));

    JsonNode result = ServerTestSupport.JSON.readTree(out);
    assertEquals("completed", result.get("status").asText(), out);
    assertEquals(List.of("image_search_call", "message"), strings(result.get("outputTypes")), out);
    String deltas = result.get("deltas").asText();
    assertFalse(deltas.isBlank(), out);
    assertEquals(deltas, result.get("outputText").asText(), out);
    assertEquals(deltas, result.get("snapshot").asText(), out);
    List<String> types = strings(result.get("types"));
    assertEquals("response.created", types.getFirst(), out);
    assertEquals("response.completed", types.getLast(), out);
    assertEquals(1, result.get("usage").get("x_tools").get("image_search").get("count").asInt(), out);
  }

  // ---- curl ----

  @Test
  void curlExample() throws Exception {
    String out = curl(curlCommand(0));

    JsonNode response = ServerTestSupport.JSON.readTree(out);
    assertEquals("response", response.get("object").asText(), out);
    assertEquals("completed", response.get("status").asText(), out);
    JsonNode call = response.get("output").get(0);
    assertEquals("image_search_call", call.get("type").asText(), out);
    assertEquals("completed", call.get("status").asText(), out);
    assertFirstHit(ServerTestSupport.JSON.readTree(call.get("output").asText()));
    JsonNode message = response.get("output").get(1);
    assertEquals("message", message.get("type").asText(), out);
    assertFalse(message.get("content").get(0).get("text").asText().isBlank(), out);
    JsonNode usage = response.get("usage");
    assertEquals(usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong(),
        usage.get("total_tokens").asLong(), out);
    assertEquals(1, usage.get("x_tools").get("image_search").get("count").asInt(), out);
  }

  @Test
  void curlStreamingExample() throws Exception {
    String out = curl(curlCommand(1));

    List<JsonNode> events = new ArrayList<>();
    for (String block : out.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data == null) {
        continue; // a heartbeat comment
      }
      assertNotEquals("[DONE]", data, "Responses streams end without [DONE]");
      JsonNode event = ServerTestSupport.JSON.readTree(data);
      assertEquals(name, event.get("type").asText(), block);
      assertEquals(events.size(), event.get("sequence_number").asInt(), block);
      events.add(event);
    }
    StringBuilder order = new StringBuilder();
    StringBuilder deltas = new StringBuilder();
    for (JsonNode event : events) {
      String type = event.get("type").asText();
      if (type.equals("response.output_text.delta")) {
        deltas.append(event.get("delta").asText());
        if (order.toString().endsWith("delta+ ")) {
          continue;
        }
        type = "delta+";
      } else if (event.has("item")) {
        type += "(" + event.get("item").get("type").asText() + ")";
      }
      order.append(type).append(' ');
    }
    assertEquals("response.created response.in_progress"
        + " response.output_item.added(image_search_call) response.output_item.done(image_search_call)"
        + " response.output_item.added(message) response.content_part.added delta+"
        + " response.output_text.done response.content_part.done response.output_item.done(message)"
        + " response.completed", order.toString().strip(), out);

    JsonNode done = events.get(3).get("item");
    assertEquals("completed", done.get("status").asText());
    assertFirstHit(ServerTestSupport.JSON.readTree(done.get("output").asText()));
    JsonNode completed = events.getLast().get("response");
    assertEquals(events.getFirst().get("response").get("id"), completed.get("id"));
    assertEquals(deltas.toString(), completed.get("output").get(1).get("content").get(0).get("text").asText());
    assertEquals(1, completed.get("usage").get("x_tools").get("image_search").get("count").asInt());
  }

  // ---- checks of the examples' printed output ----

  private static void assertToolResults(String out, String callLine) {
    assertTrue(out.contains(callLine + "\n"), out);
    Matcher found = Pattern.compile("\n  Found (\\d+) images:\n").matcher(out);
    assertTrue(found.find(), out);
    int count = Integer.parseInt(found.group(1));
    assertTrue(count >= 1 && count <= 5, out); // the index holds five pictures
    assertTrue(out.contains("\n  [1] " + TITLE + "\n      " + IMAGE_HOST + IMAGE_PATH + "\n"), out);
  }

  private static void assertUsage(String out) {
    Matcher usage = Pattern.compile("\n\\[Token Usage] Input: (\\d+), Output: (\\d+), Total: (\\d+)\n").matcher(out);
    assertTrue(usage.find(), out);
    long input = Long.parseLong(usage.group(1));
    long output = Long.parseLong(usage.group(2));
    assertTrue(input > 0 && output > 0, out);
    assertEquals(input + output, Long.parseLong(usage.group(3)), out);
    assertTrue(out.endsWith("[Tool Statistics] image_search call count: 1\n"), out);
  }

  private static void assertFirstHit(JsonNode hits) {
    assertEquals(1, hits.get(0).get("index").asInt(), hits.toString());
    assertEquals(TITLE, hits.get(0).get("title").asText(), hits.toString());
    assertEquals(IMAGE_HOST + IMAGE_PATH, hits.get(0).get("url").asText(), hits.toString());
    assertEquals("exact", hits.get(0).get("match").asText(), hits.toString());
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end, from + 1);
    assertTrue(from >= 0 && to > from, text);
    return text.substring(from + start.length(), to);
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(node -> list.add(node.asText()));
    return list;
  }

  // ---- extracting the examples from the seed ----

  /** The {@code index}-th Node example: from {@code import OpenAI from "openai";} to {@code main();}. */
  private String nodeBlock(int index) {
    Matcher blocks = Pattern.compile("(?ms)^import OpenAI from \"openai\";$.*?^main\\(\\);$").matcher(seed);
    for (int i = 0; i <= index; i++) {
      assertTrue(blocks.find(), "Node example " + index + " not found in the seed");
    }
    return withOurBaseUrl(blocks.group());
  }

  /** The {@code index}-th curl command: from {@code curl -X POST} to the line closing its body. */
  private String curlCommand(int index) {
    Matcher commands = Pattern.compile("(?ms)^curl -X POST .*?^}'$").matcher(seed);
    for (int i = 0; i <= index; i++) {
      assertTrue(commands.find(), "curl example " + index + " not found in the seed");
    }
    return withOurBaseUrl(commands.group());
  }

  private String withOurBaseUrl(String code) {
    assertTrue(code.contains(SEED_BASE_URL), code);
    return code.replace(SEED_BASE_URL, baseUrl);
  }

  // ---- running node and curl ----

  private String node(String code, Map<String, String> env) throws Exception {
    Path node = ExternalTools.executable("node");
    Prerequisites.require(node != null, "node is not installed (install nodejs and npm; .ci/run does)");
    Prerequisites.require(Files.isDirectory(nodeDir.resolve("node_modules/openai")), "the openai package is not"
        + " installed: run `npm ci` in server/src/test/node (.ci/run does)");
    // Code on stdin with --input-type=module resolves "openai" from the working directory.
    return run(List.of(node.toString(), "--input-type=module", "-"), code, env);
  }

  private String run(List<String> command, String stdin, Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("DASHSCOPE_API_KEY", API_KEY);
    return ExternalTools.run(command, nodeDir, all, stdin, TIMEOUT_SECONDS);
  }

  private String curl(String command) throws Exception {
    Prerequisites.require(ExternalTools.executable("curl") != null, "curl is not installed (.ci/run installs it)");
    return run(List.of("bash", "-c", command), "", Map.of());
  }

}
