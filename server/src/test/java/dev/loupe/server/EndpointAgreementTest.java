package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.JSON;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.protocol.qwen.ImageTokens;
import dev.loupe.protocol.qwen.PixelBounds;
import dev.loupe.runs.TokenCounter;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.server.chat.ChatCompletionsRoutes;
import dev.loupe.server.dashscope.DashScopeRoutes;
import dev.loupe.server.responses.ResponsesRoutes;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same request on the three endpoints (Responses, Chat Completions, DashScope native) with the
 * builtin model and {@code image_search}: the same input tokens, the image billed by smart resize
 * on each, usage that does not move within a stream, and the same 400 for an image that cannot be
 * fetched, before any stream starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointAgreementTest {
  private static final String TEXT = "Where else does this picture appear?";
  private static final String GENERATION = "/api/v1/services/aigc/multimodal-generation/generation";
  private static final String BLOCKED = "http://127.0.0.1:9/photo.jpg";

  private Loupe loupe;
  private ModelRoutes models;
  private ResponsesRoutes responses;
  private LoupeServer server;
  private String image;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    for (int i = 0; i < 3; i++) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(788, 450, i), "jpeg"),
          new ImageRecord("https://photos.example/scene-" + i + ".jpg", "Scene number " + i, null, null));
    }
    loupe.index().commit();
    image = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
        TestImages.encode(TestImages.scene(788, 450, 2), "jpeg"));
    models = ModelRoutes.builtinOnly();
    AtomicReference<String> base = new AtomicReference<>();
    long max = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;
    responses = ResponsesRoutes.forEngine(loupe, models, base::get, max);
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe,
        List.of(responses, ChatCompletionsRoutes.forEngine(loupe, models, base::get, max),
            DashScopeRoutes.forEngine(loupe, models, base::get, max)), models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    responses.close();
    models.close();
    loupe.close();
  }

  private HttpResponse<byte[]> post(String path, String body, boolean sse) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (sse) {
      request.header("Accept", "text/event-stream");
      if (path.equals(GENERATION)) {
        request.header("X-DashScope-SSE", "enable");
      }
    }
    return send(request);
  }

  private String responsesBody(String imageUrl, boolean stream) {
    return """
        {"model": "builtin", "stream": %s, "tools": [{"type": "image_search"}],
         "input": [{"role": "user", "content": [{"type": "input_text", "text": "%s"},
                                                 {"type": "input_image", "image_url": "%s"}]}]}"""
        .formatted(stream, TEXT, imageUrl);
  }

  private String chatBody(String imageUrl, boolean stream) {
    return """
        {"model": "builtin", "stream": %s, %s "tools": [{"type": "image_search"}],
         "messages": [{"role": "user", "content": [{"type": "text", "text": "%s"},
                                                    {"type": "image_url", "image_url": {"url": "%s"}}]}]}"""
        .formatted(stream, stream ? "\"stream_options\": {\"include_usage\": true}," : "", TEXT, imageUrl);
  }

  private String dashScopeBody(String imageUrl) {
    return """
        {"model": "builtin", "input": {"messages": [{"role": "user", "content": [{"text": "%s"}, {"image": "%s"}]}]},
         "parameters": {"result_format": "message", "tools": [{"type": "image_search"}]}}"""
        .formatted(TEXT, imageUrl);
  }

  private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(200, response.statusCode(), text);
    return JSON.readTree(text);
  }

  /** The JSON data of each SSE event, in order. */
  private static List<JsonNode> events(HttpResponse<byte[]> response) throws Exception {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(200, response.statusCode(), text);
    List<JsonNode> events = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("data:") && !line.substring(5).strip().equals("[DONE]")) {
        events.add(JSON.readTree(line.substring(5).strip()));
      }
    }
    return events;
  }

  @Test
  void theSameImageCostsTheSameTokensOnEveryEndpoint() throws Exception {
    int imageTokens = ImageTokens.of(788, 450, PixelBounds.of(32, false, null, null));
    assertEquals(352, imageTokens);
    assertTrue(imageTokens != TokenCounter.IMAGE_TOKENS);

    JsonNode viaResponses = json(post("/v1/responses", responsesBody(image, false), false)).get("usage");
    JsonNode viaChat = json(post("/v1/chat/completions", chatBody(image, false), false)).get("usage");
    JsonNode viaDashScope = json(post(GENERATION, dashScopeBody(image), false)).get("usage");

    assertEquals(imageTokens, viaChat.get("prompt_tokens_details").get("image_tokens").asInt(), viaChat.toString());
    assertEquals(imageTokens, viaDashScope.get("image_tokens").asInt(), viaDashScope.toString());
    int input = viaResponses.get("input_tokens").asInt();
    assertTrue(input > imageTokens, viaResponses.toString());
    assertEquals(input, viaChat.get("prompt_tokens").asInt(), "Responses " + viaResponses + ", Chat " + viaChat);
    assertEquals(input, viaDashScope.get("input_tokens").asInt(), "Responses " + viaResponses + ", DashScope " + viaDashScope);
  }

  @Test
  void usageDoesNotMoveWithinAStreamAndMatchesTheAnswer() throws Exception {
    int answer = json(post("/v1/responses", responsesBody(image, false), false)).get("usage").get("input_tokens").asInt();

    List<JsonNode> responseEvents = events(post("/v1/responses", responsesBody(image, true), true));
    JsonNode completed = responseEvents.getLast();
    assertEquals("response.completed", completed.get("type").asText());
    assertEquals(answer, completed.get("response").get("usage").get("input_tokens").asInt());

    List<JsonNode> chatChunks = events(post("/v1/chat/completions", chatBody(image, true), true));
    List<Integer> chatInputs = chatChunks.stream().filter(c -> c.hasNonNull("usage"))
        .map(c -> c.get("usage").get("prompt_tokens").asInt()).toList();
    assertEquals(List.of(answer), chatInputs, "the usage chunk of a Chat stream");

    List<JsonNode> dashChunks = events(post(GENERATION, dashScopeBody(image), true));
    List<Integer> dashInputs = dashChunks.stream().filter(c -> c.hasNonNull("usage"))
        .map(c -> c.get("usage").get("input_tokens").asInt()).distinct().toList();
    assertEquals(List.of(answer), dashInputs, "every DashScope chunk reports the same input tokens");
  }

  @Test
  void anImageThatCannotBeFetchedIsTheSame400Everywhere() throws Exception {
    String expected = BLOCKED + ": address 127.0.0.1 is loopback; fetching private addresses is disabled"
        + " (loupe --allow-private-addresses allows it)";
    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<byte[]> viaResponses = post("/v1/responses", responsesBody(BLOCKED, stream), stream);
      JsonNode r = JSON.readTree(viaResponses.body()).get("error");
      assertEquals(400, viaResponses.statusCode(), r.toString());
      assertEquals("invalid_image_url", r.get("code").asText());
      assertEquals(expected, r.get("message").asText());

      HttpResponse<byte[]> viaChat = post("/v1/chat/completions", chatBody(BLOCKED, stream), stream);
      JsonNode c = JSON.readTree(viaChat.body()).get("error");
      assertEquals(400, viaChat.statusCode(), c.toString());
      assertEquals("invalid_image_url", c.get("code").asText());
      assertEquals(expected, c.get("message").asText());

      HttpResponse<byte[]> viaDashScope = post(GENERATION, dashScopeBody(BLOCKED), stream);
      JsonNode d = JSON.readTree(viaDashScope.body());
      assertEquals(400, viaDashScope.statusCode(), d.toString());
      assertEquals("application/json", viaDashScope.headers().firstValue("content-type").orElse(""));
      assertEquals("InvalidParameter", d.get("code").asText());
      assertTrue(d.get("message").asText().contains(expected), d.toString());
    }
  }
}
