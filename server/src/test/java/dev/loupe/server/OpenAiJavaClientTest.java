package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputContent;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputText;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.Edits;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.server.responses.ResponsesRoutes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK (openai-java 4.101.0, OkHttp) against a live server: the Responses
 * API with {@code image_search}, non-streaming and streaming, as a Java user of the hosted service
 * would write it with only the base URL changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiJavaClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-loupe-test";
  private Loupe loupe;
  private ResponsesRoutes responses;
  private LoupeServer server;
  private OpenAIClient client;
  private String queryDataUrl;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    for (int i = 0; i < 12; i++) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(800, 600, i), "jpeg"),
          new ImageRecord("https://photos.example/scene-" + i + ".jpg", "Scene number " + i,
              "https://photos.example/gallery", null));
    }
    loupe.index().commit();
    AtomicReference<String> base = new AtomicReference<>();
    responses = ResponsesRoutes.forEngine(loupe, base::get, ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(KEY)), loupe,
        List.of(responses)).start();
    base.set("http://127.0.0.1:" + server.port());
    client = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.port() + "/compatible-mode/v1")
        .apiKey(KEY)
        .maxRetries(0)
        .build();
    // A mirrored, half-size copy of scene 4: the tool should find scene 4 as a near-duplicate.
    byte[] query = TestImages.encode(Edits.scaleArea(
        Edits.transform(TestImages.scene(800, 600, 4), dev.loupe.features.DihedralTransform.MIRROR_X), 0.25), "jpeg");
    queryDataUrl = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(query);
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    server.stop();
    responses.close();
    loupe.close();
  }

  private ResponseCreateParams params(String text) {
    ResponseInputItem message = ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
        .role(EasyInputMessage.Role.USER)
        .contentOfResponseInputMessageContentList(List.of(
            ResponseInputContent.ofInputText(ResponseInputText.builder().text(text).build()),
            ResponseInputContent.ofInputImage(ResponseInputImage.builder()
                .detail(ResponseInputImage.Detail.AUTO).imageUrl(queryDataUrl).build())))
        .build());
    return ResponseCreateParams.builder()
        .model("qwen3.7-plus")
        .inputOfResponse(List.of(message))
        // The SDK has no type for image_search: it is sent as raw JSON (contract 5.2).
        .tools(JsonValue.from(List.of(Map.of("type", "image_search"))))
        .build();
  }

  /** The image_search_call item's fields, read through _json() as the contract says Java users must. */
  private static JsonNode itemJson(ResponseOutputItem item) {
    return JSON.valueToTree(item._json().orElseThrow().convert(Map.class));
  }

  private static String messageText(Response response) {
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
    }
    return text.toString();
  }

  @Test
  void nonStreamingResponseWithAnImageSearchCall() throws Exception {
    Response response = client.responses().create(params("Where else does this picture appear?"));
    assertTrue(response.id().startsWith("resp_"), response.id());
    assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
    assertEquals("qwen3.7-plus", response.model().asString());
    assertEquals(2, response.output().size());

    JsonNode call = itemJson(response.output().get(0));
    assertEquals("image_search_call", call.get("type").asText());
    assertEquals("completed", call.get("status").asText());
    JsonNode hits = JSON.readTree(call.get("output").asText());
    assertEquals(List.of("index", "title", "url"), firstThreeKeys(hits.get(0)));
    assertEquals(1, hits.get(0).get("index").asInt());
    assertEquals("Scene number 4", hits.get(0).get("title").asText());
    assertEquals("https://photos.example/scene-4.jpg", hits.get(0).get("url").asText());
    assertEquals("near_duplicate", hits.get(0).get("match").asText());

    assertTrue(response.output().get(1).isMessage());
    String text = messageText(response);
    assertTrue(text.contains("Scene number 4"), text);

    var usage = response.usage().orElseThrow();
    assertTrue(usage.inputTokens() > 0 && usage.outputTokens() > 0);
    assertEquals(usage.inputTokens() + usage.outputTokens(), usage.totalTokens());
    assertEquals(0, usage.inputTokensDetails().cachedTokens());
    Map<?, ?> tools = usage._additionalProperties().get("x_tools").convert(Map.class);
    assertEquals(Map.of("image_search", Map.of("count", 1)), tools);

    // Stored: retrievable by id through the SDK, with the same output.
    Response again = client.responses().retrieve(response.id());
    assertEquals(response.id(), again.id());
    assertEquals(text, messageText(again));
  }

  @Test
  void streamingFoldsToTheSameOutputAsNonStreaming() throws Exception {
    Response plain = client.responses().create(params("Find copies of this image"));
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    List<ResponseStreamEvent> events = new ArrayList<>();
    StringBuilder deltas = new StringBuilder();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params("Find copies of this image"))) {
      stream.stream().forEach(event -> {
        events.add(event);
        accumulator.accumulate(event);
        event.outputTextDelta().ifPresent(d -> deltas.append(d.delta()));
      });
    }
    Response folded = accumulator.response();
    assertTrue(events.getFirst().isCreated(), events.getFirst().toString());
    assertTrue(events.getLast().isCompleted(), events.getLast().toString());
    assertEquals(ResponseStatus.COMPLETED, folded.status().orElseThrow());
    assertEquals(messageText(plain), messageText(folded), "streamed and non-streamed answers are the same");
    assertEquals(messageText(plain), deltas.toString());
    assertEquals(itemJson(plain.output().get(0)).get("output").asText(),
        itemJson(folded.output().get(0)).get("output").asText(), "same hits");
    assertEquals(plain.usage().orElseThrow().totalTokens(), folded.usage().orElseThrow().totalTokens());
  }

  @Test
  void errorsArriveAsTheSdksExceptions() {
    String tiny = "data:image/png;base64," + Base64.getEncoder().encodeToString(
        TestImages.encode(TestImages.redBlue(5, 5), "png"));
    ResponseCreateParams tooSmall = ResponseCreateParams.builder().model("builtin")
        .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
            .role(EasyInputMessage.Role.USER)
            .contentOfResponseInputMessageContentList(List.of(ResponseInputContent.ofInputImage(
                ResponseInputImage.builder().detail(ResponseInputImage.Detail.AUTO).imageUrl(tiny).build())))
            .build())))
        .tools(JsonValue.from(List.of(Map.of("type", "image_search"))))
        .build();
    BadRequestException bad = assertThrows(BadRequestException.class, () -> client.responses().create(tooSmall));
    assertTrue(bad.getMessage().contains("image is 5x5 pixels; each side must be more than 10 pixels"), bad.getMessage());
    assertFalse(bad.code().isEmpty());
    OpenAIClient wrongKey = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("sk-wrong").maxRetries(0).build();
    try {
      UnauthorizedException e = assertThrows(UnauthorizedException.class,
          () -> wrongKey.responses().create(params("hello")));
      assertEquals("invalid_api_key", e.code().orElseThrow());
    } finally {
      wrongKey.close();
    }
  }

  @Test
  void checklistItems4To6GettersAndValidationMode() throws Exception {
    Response response = client.responses().create(params("Where else does this picture appear?"));
    // Item 4: the required getters do not throw.
    response.createdAt();
    response.parallelToolCalls();
    response.toolChoice();
    response.tools();
    response.usage().orElseThrow().inputTokensDetails();
    response.usage().orElseThrow().outputTokensDetails();

    OpenAIClient strict = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey(KEY).maxRetries(0).responseValidation(true).build();
    try {
      // Item 5: a plain text response passes validation, streaming and not.
      Response plain = strict.responses().create(ResponseCreateParams.builder().model("builtin").input("Hello").build());
      plain.validate();
      assertTrue(plain.isValid());
      try (StreamResponse<ResponseStreamEvent> stream = strict.responses().createStreaming(
          ResponseCreateParams.builder().model("builtin").input("Hello").build())) {
        assertTrue(stream.stream().peek(ResponseStreamEvent::validate).anyMatch(ResponseStreamEvent::isCompleted));
      }
      // Item 6: with image_search, the SDK's opt-in strict mode rejects the unknown item (a documented limit).
      Exception e = assertThrows(Exception.class, () -> strict.responses().create(params("Find copies")));
      assertTrue(e.getMessage().contains("Unknown ResponseOutputItem") || e.getMessage().contains("image_search"),
          e.getMessage());
    } finally {
      strict.close();
    }
  }

  @Test
  void checklistItem8SnapshotsReconstructBothItems() {
    ResponseAccumulator accumulator = ResponseAccumulator.createWithSnapshots();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params("Find copies"))) {
      stream.stream().forEach(accumulator::accumulate);
    }
    assertEquals(2, accumulator.reconstructedResponse().output().size());
  }

  @Test
  void checklistItem10AFailedStreamFoldsToStatusFailed() {
    // The image's pixels fail to decode only when the tool searches it, after the stream started.
    String corrupt = "data:image/png;base64," + java.util.Base64.getEncoder()
        .encodeToString(dev.loupe.image.TestImages.corruptPixelsPng());
    ResponseCreateParams blocked = ResponseCreateParams.builder().model("builtin")
        .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
            .role(EasyInputMessage.Role.USER)
            .contentOfResponseInputMessageContentList(List.of(ResponseInputContent.ofInputImage(
                ResponseInputImage.builder().detail(ResponseInputImage.Detail.AUTO)
                    .imageUrl(corrupt).build())))
            .build())))
        .tools(JsonValue.from(List.of(Map.of("type", "image_search"))))
        .build();
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(blocked)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Response folded = accumulator.response();
    assertEquals(ResponseStatus.FAILED, folded.status().orElseThrow());
    assertEquals("image_parse_error", folded.error().orElseThrow().code().asString());
  }

  private static List<String> firstThreeKeys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys.subList(0, 3);
  }
}
