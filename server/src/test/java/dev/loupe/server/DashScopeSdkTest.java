package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.reasoning;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alibaba.dashscope.aigc.multimodalconversation.MultiModalConversation;
import com.alibaba.dashscope.aigc.multimodalconversation.MultiModalConversationParam;
import com.alibaba.dashscope.aigc.multimodalconversation.MultiModalConversationResult;
import com.alibaba.dashscope.common.MultiModalMessage;
import com.alibaba.dashscope.common.Role;
import com.alibaba.dashscope.common.Status;
import com.alibaba.dashscope.exception.ApiException;
import com.alibaba.dashscope.utils.Constants;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.protocol.dashscope.DashScopeService;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.runs.upstream.ScriptedUpstream;
import dev.loupe.server.dashscope.DashScopeRoutes;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * DashScope's native protocol (contract section 7, checklist items 28-33) through a live server
 * with the official DashScope Java SDK. The SDK's base URL is the static {@code
 * Constants.baseHttpApiUrl}, so every SDK test of the suite lives in this one class, which sets it
 * and restores it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashScopeSdkTest {
  private static final String KEY = "sk-loupe-test";

  private Loupe loupe;
  private ScriptedUpstream upstream;
  private ModelRoutes models;
  private LoupeServer server;
  private String savedBaseUrl;
  /** Scene 2 at the seed image's size, 788×450: 352 image tokens at f = 32. */
  private String seedSizedDataUrl;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    for (int i = 0; i < 3; i++) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(788, 450, i), "jpeg"),
          new ImageRecord("https://photos.example/scene-" + i + ".jpg", "Scene number " + i, null, null));
    }
    loupe.index().commit();
    seedSizedDataUrl = "data:image/jpeg;base64,"
        + Base64.getEncoder().encodeToString(TestImages.encode(TestImages.scene(788, 450, 2), "jpeg"));
    upstream = new ScriptedUpstream();
    models = RoutesConfig.of("""
        {"routes": [
          {"model": "qwen3*", "backend": "openai-compatible", "base_url": "%s", "max_retries": 0},
          {"model": "*", "backend": "builtin"}
        ]}""".formatted(upstream.baseUrl()), "models.json", Map.of());
    AtomicReference<String> base = new AtomicReference<>();
    DashScopeRoutes routes = DashScopeRoutes.forEngine(loupe, models, base::get, ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(KEY)), loupe, List.of(routes),
        models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());
    savedBaseUrl = Constants.baseHttpApiUrl;
    Constants.baseHttpApiUrl = base.get() + "/api/v1";
  }

  @AfterAll
  void stop() throws Exception {
    Constants.baseHttpApiUrl = savedBaseUrl;
    server.stop();
    models.close();
    upstream.close();
    loupe.close();
  }

  private MultiModalConversationParam.MultiModalConversationParamBuilder<?, ?> params(String model, String question,
      String image) {
    MultiModalMessage user = MultiModalMessage.builder().role(Role.USER.getValue())
        .content(List.of(Map.of("image", image), Map.of("text", question))).build();
    return MultiModalConversationParam.builder().apiKey(KEY).model(model).message(user);
  }

  private static String answer(MultiModalConversationResult result) {
    var content = result.getOutput().getChoices().get(0).getMessage().getContent();
    return content.isEmpty() ? "" : String.valueOf(content.get(0).get("text"));
  }

  @Test
  void callAgainstAnUpstreamFillsTextUsageAndRequestId() throws Exception {
    int before = upstream.requests().size();
    upstream.then(sse(role(), text("A "), text("scene."), finish("stop"), usage(400, 9)));
    MultiModalConversationResult result = new MultiModalConversation().call(params("qwen3-vl-plus", "Describe it.",
        seedSizedDataUrl).vlHighResolutionImages(false).maxTokens(64).build());
    assertEquals("A scene.", answer(result));
    assertEquals("stop", result.getOutput().getChoices().get(0).getFinishReason());
    assertEquals(400, result.getUsage().getInputTokens());
    assertEquals(9, result.getUsage().getOutputTokens());
    // 788×450 at f = 32 is 800×448: 25 × 14 + 2 (contract 9, checklist 27).
    assertEquals(352, result.getUsage().getImageTokens());
    assertNotNull(result.getRequestId());
    assertFalse(result.getRequestId().isBlank());

    JsonNode sent = upstream.requests().get(before);
    assertEquals(64, sent.get("max_tokens").asInt());
    assertFalse(sent.has("enable_search"), "native-only parameters stay here: " + sent);
    assertFalse(sent.has("incremental_output"), sent.toString());
    assertTrue(sent.get("messages").get(0).get("content").get(0).get("image_url").get("url").asText()
        .startsWith("data:image/jpeg;base64,"), sent.toString());
    assertEquals("Describe it.", sent.get("messages").get(0).get("content").get(1).get("text").asText());
  }

  @Test
  void theBuiltinModelSearchesWhenParametersOfferImageSearch() throws Exception {
    MultiModalConversationResult result = new MultiModalConversation().call(params("builtin",
        "Where else is this picture?", seedSizedDataUrl)
        .parameter("tools", List.of(Map.of("type", "image_search"))).build());
    String answer = answer(result);
    assertTrue(answer.contains("Scene number 2"), answer);
    assertEquals(352, result.getUsage().getImageTokens());
    assertTrue(result.getUsage().getInputTokens() > 352, "input tokens include text and tool output");
  }

  @Test
  void theBuiltinModelsNeedsAnUpstreamErrorIsAnApiException() {
    ApiException e = assertThrows(ApiException.class, () -> new MultiModalConversation().call(
        params("builtin", "What is in this picture?", seedSizedDataUrl).build()));
    Status status = e.getStatus();
    assertEquals(400, status.getStatusCode());
    assertEquals("InvalidParameter", status.getCode());
    assertTrue(status.getMessage().contains("LOUPE_UPSTREAM_URL") && status.getMessage().contains("--models"),
        status.getMessage());
    assertFalse(status.getRequestId() == null || status.getRequestId().isBlank());
  }

  @Test
  void streamCallWithIncrementalOutputGivesDeltasThenStop() throws Exception {
    upstream.then(sse(role(), text("A "), text("dog "), text("runs."), finish("stop"), usage(400, 3)));
    List<MultiModalConversationResult> chunks = new MultiModalConversation().streamCall(
        params("qwen3-vl-plus", "Describe it.", seedSizedDataUrl).incrementalOutput(true).build())
        .toList().blockingGet();
    List<String> texts = chunks.stream().map(DashScopeSdkTest::answer).toList();
    assertEquals(List.of("A ", "dog ", "runs.", ""), texts);
    List<String> reasons = chunks.stream().map(c -> c.getOutput().getChoices().get(0).getFinishReason()).toList();
    assertEquals(List.of("null", "null", "null", "stop"), reasons);
    assertEquals(400, chunks.getLast().getUsage().getInputTokens());
    assertEquals(352, chunks.getLast().getUsage().getImageTokens());
    assertEquals(1, chunks.stream().map(MultiModalConversationResult::getRequestId).distinct().count());
  }

  @Test
  void streamCallWithoutIncrementalOutputGivesCumulativeText() throws Exception {
    upstream.then(sse(role(), text("A "), text("dog "), text("runs."), finish("stop"), usage(400, 3)));
    // The SDK asks for deltas on the wire and adds them up into one result object it re-emits
    // (contract 7.3), so read each chunk as it arrives.
    List<String> texts = new MultiModalConversation().streamCall(
        params("qwen3-vl-plus", "Describe it.", seedSizedDataUrl).incrementalOutput(false).build())
        .map(c -> answer(c) + "|" + c.getOutput().getChoices().get(0).getFinishReason()).toList().blockingGet();
    assertEquals(List.of("A |null", "A dog |null", "A dog runs.|null", "A dog runs.|stop"), texts);
  }

  @Test
  void thinkingStreamsReasoningFirstWithEmptyContent() throws Exception {
    int before = upstream.requests().size();
    upstream.then(sse(role(), reasoning("Looking "), reasoning("closely."), text("A scene."), finish("stop"),
        usage(420, 12)));
    List<MultiModalConversationResult> chunks = new MultiModalConversation().streamCall(
        params("qwen3-vl-plus", "Describe it.", seedSizedDataUrl).incrementalOutput(true).enableThinking(true)
            .thinkingBudget(128).build()).toList().blockingGet();
    var first = chunks.get(0).getOutput().getChoices().get(0).getMessage();
    assertTrue(first.getContent().isEmpty(), "content while thinking: " + first.getContent());
    assertEquals("Looking ", first.getReasoningContent());
    StringBuilder thought = new StringBuilder();
    StringBuilder answer = new StringBuilder();
    for (MultiModalConversationResult chunk : chunks) {
      var message = chunk.getOutput().getChoices().get(0).getMessage();
      if (message.getReasoningContent() != null) {
        thought.append(message.getReasoningContent());
      }
      answer.append(answer(chunk));
    }
    assertEquals("Looking closely.", thought.toString());
    assertEquals("A scene.", answer.toString());
    JsonNode sent = upstream.requests().get(before);
    assertTrue(sent.get("enable_thinking").asBoolean(), sent.toString());
    assertEquals(128, sent.get("thinking_budget").asInt());
  }

  @Test
  void aBadImageIsAnApiExceptionWithTheLoadersMessageCallAndStream() {
    String tiny = "data:image/png;base64,"
        + Base64.getEncoder().encodeToString(TestImages.encode(TestImages.scene(10, 10, 1), "png"));
    ApiException call = assertThrows(ApiException.class, () -> new MultiModalConversation().call(
        params("qwen3-vl-plus", "What is this?", tiny).build()));
    ApiException stream = assertThrows(ApiException.class, () -> new MultiModalConversation().streamCall(
        params("qwen3-vl-plus", "What is this?", tiny).incrementalOutput(true).build()).blockingLast());
    for (ApiException e : List.of(call, stream)) {
      Status status = e.getStatus();
      assertEquals(400, status.getStatusCode());
      assertEquals("InvalidParameter", status.getCode());
      assertTrue(status.getMessage().contains("10x10"), status.getMessage());
      assertFalse(status.getRequestId() == null || status.getRequestId().isBlank());
    }
  }

  @Test
  void aBadKeyIsInvalidApiKey() {
    ApiException key = assertThrows(ApiException.class, () -> new MultiModalConversation().call(
        params("qwen3-vl-plus", "Hi", seedSizedDataUrl).apiKey("sk-wrong").build()));
    assertEquals(401, key.getStatus().getStatusCode());
    assertEquals("InvalidApiKey", key.getStatus().getCode());
    assertEquals("Incorrect API key provided.", key.getStatus().getMessage());
  }

  @Test
  void aMidStreamFailureIsAnApiExceptionWithTheServersCodeAndMessage() {
    upstream.then(sse(role(), text("Half"), "{\"error\":{\"message\":\"context length exceeded\"}}"));
    ApiException e = assertThrows(ApiException.class, () -> new MultiModalConversation().streamCall(
        params("qwen3-vl-plus", "Describe it.", seedSizedDataUrl).incrementalOutput(true).build()).blockingLast());
    assertEquals(400, e.getStatus().getStatusCode()); // the SDK's fixed status for event:error (7.4)
    assertTrue(e.getStatus().getMessage().contains("context length exceeded"), e.getStatus().getMessage());
    assertFalse(e.getStatus().getCode().isBlank());
  }

  @Test
  void aLocalFileFailsAtGetPolicyWithTheDocumentedMessage(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("scene.jpg");
    Files.write(file, TestImages.encode(TestImages.scene(788, 450, 2), "jpeg"));
    int before = upstream.requests().size();
    ApiException e = assertThrows(ApiException.class, () -> new MultiModalConversation().call(
        params("qwen3-vl-plus", "Describe it.", "file://" + file.toAbsolutePath()).build()));
    assertEquals(400, e.getStatus().getStatusCode());
    assertEquals("InvalidParameter", e.getStatus().getCode());
    assertEquals(DashScopeService.LOCAL_UPLOAD_REFUSED, e.getStatus().getMessage());
    assertEquals(before, upstream.requests().size(), "no generation after a refused upload");
  }
}
