package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.toolCall;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputContent;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputText;
import com.openai.models.responses.ResponseStatus;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.runs.upstream.ScriptedUpstream;
import dev.loupe.server.responses.ResponsesRoutes;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loupe serve} with model routing: {@code qwen*} goes to a scripted OpenAI-compatible
 * upstream, {@code dead*} to a port nobody listens on, {@code builtin} to the builtin model; the
 * official Java SDK is the client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private Loupe loupe;
  private ScriptedUpstream upstream;
  private ModelRoutes models;
  private ResponsesRoutes responses;
  private LoupeServer server;
  private OpenAIClient client;
  private String queryDataUrl;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    for (int i = 0; i < 3; i++) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(640, 480, i), "jpeg"),
          new ImageRecord("https://photos.example/scene-" + i + ".jpg", "Scene number " + i, null, null));
    }
    loupe.index().commit();
    queryDataUrl = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
        TestImages.encode(TestImages.scene(640, 480, 2), "jpeg"));
    upstream = new ScriptedUpstream();
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    models = RoutesConfig.of("""
        {"routes": [
          {"model": "qwen*", "backend": "openai-compatible", "base_url": "%s", "api_key": "sk-up",
           "max_retries": 0},
          {"model": "dead*", "backend": "openai-compatible", "base_url": "http://127.0.0.1:%d/v1"},
          {"model": "builtin", "backend": "builtin"}
        ]}""".formatted(upstream.baseUrl(), deadPort), "models.json", Map.of());
    AtomicReference<String> base = new AtomicReference<>();
    responses = ResponsesRoutes.forEngine(loupe, models, base::get, ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of(responses),
        models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());
    client = OpenAIOkHttpClient.builder().baseUrl(base.get() + "/v1").apiKey("unused").maxRetries(0).build();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    server.stop();
    responses.close();
    models.close();
    upstream.close();
    loupe.close();
  }

  private ResponseCreateParams params(String model) {
    ResponseInputItem message = ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
        .role(EasyInputMessage.Role.USER)
        .contentOfResponseInputMessageContentList(List.of(
            ResponseInputContent.ofInputText(ResponseInputText.builder().text("Where is this from?").build()),
            ResponseInputContent.ofInputImage(ResponseInputImage.builder()
                .detail(ResponseInputImage.Detail.AUTO).imageUrl(queryDataUrl).build())))
        .build());
    return ResponseCreateParams.builder().model(model).inputOfResponse(List.of(message))
        .tools(JsonValue.from(List.of(Map.of("type", "image_search")))).build();
  }

  @Test
  void theSdkSeesTheUpstreamsSearchAndAnswer() throws Exception {
    upstream.then(
        sse(role(), toolCall(0, "call_1", "image_search", "{\"image_index\""), toolCall(0, null, null, ": 1}"),
            finish("tool_calls"), usage(900, 20)),
        sse(role(), text("It is Scene "), text("number 2."), finish("stop"), usage(1100, 8)));
    Response response = client.responses().create(params("qwen2.5-vl-7b"));
    assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
    assertEquals(2, response.output().size());
    JsonNode call = JSON.valueToTree(response.output().get(0)._json().orElseThrow().convert(Map.class));
    assertEquals("image_search_call", call.get("type").asText());
    JsonNode hits = JSON.readTree(call.get("output").asText());
    assertEquals("Scene number 2", hits.get(0).get("title").asText());
    assertEquals("It is Scene number 2.", response.output().get(1).asMessage().content().get(0).asOutputText().text());
    var usage = response.usage().orElseThrow();
    assertEquals(2000, usage.inputTokens());
    assertEquals(28, usage.outputTokens());
    JsonNode toolMessage = upstream.requests().getLast().get("messages").get(2);
    assertEquals("tool", toolMessage.get("role").asText());
    assertEquals(call.get("output").asText(), toolMessage.get("content").asText());
    assertEquals("qwen2.5-vl-7b", upstream.requests().getLast().get("model").asText());
  }

  @Test
  void aDownUpstreamIsA502InTheEnvelope() throws Exception {
    InternalServerException e = assertThrows(InternalServerException.class,
        () -> client.responses().create(params("dead-model")));
    assertEquals(502, e.statusCode());
    String message = assertError(postJson(server, "/v1/responses",
        "{\"model\": \"dead-model\", \"input\": \"hello\"}"), 502, "upstream_unavailable", null);
    assertTrue(message.startsWith("The model upstream at 127.0.0.1:"), message);
  }

  @Test
  void anUnroutedModelIs404AndTheModelListShowsTheRoutes() throws Exception {
    assertThrows(NotFoundException.class, () -> client.responses().create(params("gpt-4o")));
    assertError(postJson(server, "/v1/responses", "{\"model\": \"gpt-4o\", \"input\": \"hello\"}"), 404,
        "model_not_found", "model");
    JsonNode list = json(get(server, "/v1/models"));
    assertEquals(List.of("qwen*", "dead*", "builtin"),
        JSON.convertValue(list.get("data").findValuesAsText("id"), List.class));
  }
}
