package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.server.responses.ResponsesRoutes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's conformance checklist items for the Responses path that are about the bytes on
 * the wire (section 10, items 9, 16, 22–26), checked with a plain HTTP client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponsesConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-conformance";
  private Loupe loupe;
  private ResponsesRoutes responses;
  private LoupeServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private String dataUrl;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    for (int i = 0; i < 6; i++) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(640, 480, i), "jpeg"),
          new ImageRecord("https://photos.example/" + i + ".jpg", "Scene " + i, null, null));
    }
    loupe.index().commit();
    AtomicReference<String> base = new AtomicReference<>();
    responses = ResponsesRoutes.forEngine(loupe, base::get, ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(KEY)), loupe, List.of(responses))
        .start();
    base.set("http://127.0.0.1:" + server.port());
    dataUrl = dataUrl(TestImages.encode(TestImages.scene(640, 480, 2), "png"), "png");
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    responses.close();
    loupe.close();
  }

  private static String dataUrl(byte[] bytes, String type) {
    return "data:image/" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  private static ObjectNode seedRequest(String imageUrl) {
    ObjectNode body = JSON.createObjectNode().put("model", "qwen3.7-plus");
    var content = body.putArray("input").addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "input_text").put("text", "Find landscape images with a style similar to this one");
    content.addObject().put("type", "input_image").put("image_url", imageUrl);
    body.putArray("tools").addObject().put("type", "image_search");
    return body;
  }

  private HttpResponse<String> post(String path, JsonNode body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, JsonNode body) throws Exception {
    return post(path, body, Map.of("Authorization", "Bearer " + KEY));
  }

  /** The SSE events of a stream: {event name, parsed data}; asserts the framing of 3.1. */
  private static List<Map.Entry<String, JsonNode>> events(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<Map.Entry<String, JsonNode>> events = new ArrayList<>();
    for (String block : response.body().split("\n\n")) {
      if (block.isBlank() || block.startsWith(":")) {
        continue;
      }
      String[] lines = block.split("\n");
      assertEquals(2, lines.length, "one event: line and one single-line data: line, got: " + block);
      assertTrue(lines[0].startsWith("event: "), block);
      assertTrue(lines[1].startsWith("data: "), block);
      JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
      assertEquals(lines[0].substring("event: ".length()), data.get("type").asText(), "event name = data.type");
      events.add(Map.entry(data.get("type").asText(), data));
    }
    return events;
  }

  @Test
  void item16And23StreamFramingOrderAndSequenceNumbers() throws Exception {
    ObjectNode body = seedRequest(dataUrl).put("stream", true);
    HttpResponse<String> response = post("/compatible-mode/v1/responses", body);
    assertFalse(response.body().contains("[DONE]"), "no [DONE] on the Responses path");
    List<Map.Entry<String, JsonNode>> events = events(response);
    List<String> names = events.stream().map(Map.Entry::getKey).toList();
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.output_item.done", "response.output_item.added", "response.content_part.added"),
        names.subList(0, 6));
    assertEquals(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.completed"), names.subList(names.size() - 4, names.size()));
    assertTrue(names.subList(6, names.size() - 4).stream().allMatch("response.output_text.delta"::equals));
    for (int i = 0; i < events.size(); i++) {
      JsonNode data = events.get(i).getValue();
      assertEquals(i, data.get("sequence_number").asInt(), "contiguous sequence numbers");
      // Item 9: a top-level "error" key (even null) makes openai-java throw.
      assertFalse(data.has("error"), "no top-level error key in " + events.get(i).getKey());
    }
    String id = events.getFirst().getValue().get("response").get("id").asText();
    assertTrue(events.stream().filter(e -> e.getValue().has("response"))
        .allMatch(e -> e.getValue().get("response").get("id").asText().equals(id)), "one stable id");
    JsonNode call = events.get(3).getValue().get("item");
    assertEquals("image_search_call", call.get("type").asText());
    assertEquals("completed", call.get("status").asText());
    assertEquals("Scene 2", JSON.readTree(call.get("output").asText()).get(0).get("title").asText());
  }

  @Test
  void item22ThePrefixesGiveTheSameShapes() throws Exception {
    Set<String> shapes = new TreeSet<>();
    for (String prefix : List.of("/v1", "/compatible-mode/v1", "/api/v2/apps/protocols/compatible-mode/v1")) {
      HttpResponse<String> response = post(prefix + "/responses", seedRequest(dataUrl));
      assertEquals(200, response.statusCode(), response.body());
      ObjectNode json = (ObjectNode) JSON.readTree(response.body());
      shapes.add(shape(json).toString());
      // Retrievable under the same prefix.
      HttpResponse<String> again = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
          + prefix + "/responses/" + json.get("id").asText())).header("Authorization", "Bearer " + KEY).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, again.statusCode(), again.body());
    }
    assertEquals(1, shapes.size(), "identical apart from ids and times: " + shapes);
  }

  /** Field names and scalar types, with ids and times blanked. */
  private static JsonNode shape(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        var f = fields.next();
        out.set(f.getKey(), f.getKey().equals("output") && f.getValue().isTextual()
            ? JSON.getNodeFactory().textNode("hits") : shape(f.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      var out = JSON.createArrayNode();
      node.forEach(n -> out.add(shape(n)));
      return out;
    }
    return JSON.getNodeFactory().textNode(node.getNodeType().name());
  }

  @Test
  void item24HeadersDoNotDecideStreamingButDashScopeSseDoes() throws Exception {
    HttpResponse<String> bySse = post("/compatible-mode/v1/responses", seedRequest(dataUrl),
        Map.of("Authorization", "Bearer " + KEY, "X-DashScope-SSE", "enable"));
    assertEquals("response.completed", events(bySse).getLast().getKey());
    HttpResponse<String> acceptJson = post("/v1/responses", seedRequest(dataUrl).put("stream", true),
        Map.of("Authorization", "Bearer " + KEY, "Accept", "application/json"));
    assertEquals("response.completed", events(acceptJson).getLast().getKey());
    HttpResponse<String> plain = post("/v1/responses", seedRequest(dataUrl),
        Map.of("Authorization", "Bearer " + KEY, "Accept", "text/event-stream"));
    assertTrue(plain.headers().firstValue("content-type").orElse("").startsWith("application/json"));
  }

  @Test
  void item25ImageLimitsAnswer400WithCodeAndParam() throws Exception {
    byte[] over10Mb = new byte[(10 << 20) + 1];
    Map<String, String> cases = Map.of(
        dataUrl(TestImages.encode(TestImages.redBlue(10, 10), "png"), "png"), "image_too_small",
        dataUrl(TestImages.encode(TestImages.redBlue(2010, 10), "png"), "png"), "invalid_image",
        dataUrl(over10Mb, "png"), "image_file_too_large",
        dataUrl(java.util.Arrays.copyOf(TestImages.encode(TestImages.scene(64, 64, 1), "png"), 300), "png"),
        "image_parse_error");
    for (var c : cases.entrySet()) {
      HttpResponse<String> response = post("/v1/responses", seedRequest(c.getKey()));
      assertEquals(400, response.statusCode(), response.body());
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertEquals(c.getValue(), error.get("code").asText(), response.body());
      assertEquals("input[0].content[1].image_url", error.get("param").asText(), response.body());
      assertEquals("invalid_request_error", error.get("type").asText());
      assertFalse(error.get("message").asText().isBlank());
    }
  }

  @Test
  void item26MissingOrWrongKeyIs401InTheEnvelope() throws Exception {
    for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer nope"),
        Map.of("Authorization", "Basic abc"))) {
      HttpResponse<String> response = post("/compatible-mode/v1/responses", seedRequest(dataUrl), headers);
      assertEquals(401, response.statusCode());
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertEquals("invalid_api_key", error.get("code").asText());
      assertEquals("invalid_request_error", error.get("type").asText());
      assertTrue(response.headers().firstValue("x-request-id").isPresent());
    }
  }

  @Test
  void anImageThatCannotBeFetchedIsA400BeforeAnyStream() throws Exception {
    // A blocked address is found when the request is read, before any event: streaming or not.
    for (boolean stream : new boolean[] {true, false}) {
      HttpResponse<String> response = post("/v1/responses", seedRequest("http://127.0.0.1:9/photo.jpg").put("stream", stream));
      assertEquals(400, response.statusCode(), response.body());
      assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertEquals("invalid_image_url", error.get("code").asText());
      assertEquals("input[0].content[1].image_url", error.get("param").asText());
      assertEquals("invalid_request_error", error.get("type").asText());
    }
  }

  @Test
  void aFailureAfterTheStreamStartedIsOneFinalResponseFailed() throws Exception {
    // The image's header is sound; its pixels fail to decode when the tool searches, after
    // response.created went out.
    String corrupt = "data:image/png;base64," + java.util.Base64.getEncoder()
        .encodeToString(dev.loupe.image.TestImages.corruptPixelsPng());
    ObjectNode body = seedRequest(corrupt).put("stream", true);
    List<Map.Entry<String, JsonNode>> events = events(post("/v1/responses", body));
    assertEquals("response.failed", events.getLast().getKey());
    JsonNode failed = events.getLast().getValue().get("response");
    assertEquals("failed", failed.get("status").asText());
    assertEquals("image_parse_error", failed.get("error").get("code").asText());
    assertEquals(1, events.stream().filter(e -> e.getKey().equals("response.failed")).count());
    // Never stored as completed: a failed response is not kept at all.
    HttpResponse<String> stored = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/v1/responses/" + failed.get("id").asText())).header("Authorization", "Bearer " + KEY).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, stored.statusCode());
  }
}
