package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.reasoning;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.stall;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.runs.upstream.ScriptedUpstream;
import dev.loupe.server.chat.ChatCompletionsRoutes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat Completions (contract section 6) through a live server with the official Java SDK: the
 * builtin model's image_search path, the error naming the upstream settings, and an upstream
 * receiving smart-resized images and thinking fields and streaming reasoning back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatCompletionsTest {
  private Loupe loupe;
  private ScriptedUpstream upstream;
  private ModelRoutes models;
  private LoupeServer server;
  private OpenAIClient client;
  /** Scene 2 at the seed image's size, 788×450. */
  private String seedSizedDataUrl;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    for (int i = 0; i < 3; i++) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(788, 450, i), "jpeg"),
          new ImageRecord("https://photos.example/scene-" + i + ".jpg", "Scene number " + i, null, null));
    }
    loupe.index().commit();
    seedSizedDataUrl = dataUrl(TestImages.encode(TestImages.scene(788, 450, 2), "jpeg"), "jpeg");
    upstream = new ScriptedUpstream();
    models = RoutesConfig.of("""
        {"routes": [
          {"model": "qwen3*", "backend": "openai-compatible", "base_url": "%1$s", "max_retries": 0},
          {"model": "qwen2.5*", "backend": "openai-compatible", "base_url": "%1$s", "max_retries": 0,
           "vision_family": "qwen2.5-vl"},
          {"model": "slow*", "backend": "openai-compatible", "base_url": "%1$s", "max_retries": 0,
           "timeout_seconds": 0.5},
          {"model": "*", "backend": "builtin"}
        ]}""".formatted(upstream.baseUrl()), "models.json", Map.of());
    AtomicReference<String> base = new AtomicReference<>();
    ChatCompletionsRoutes chat = ChatCompletionsRoutes.forEngine(loupe, models, base::get,
        ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of(chat), models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());
    client = OpenAIOkHttpClient.builder().baseUrl(base.get() + "/compatible-mode/v1").apiKey("unused")
        .maxRetries(0).build();
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    server.stop();
    models.close();
    upstream.close();
    loupe.close();
  }

  private static String dataUrl(byte[] bytes, String format) {
    return "data:image/" + format + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  private ChatCompletionCreateParams.Builder params(String model, String question) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessageOfArrayOfContentParts(List.of(
        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text(question).build()),
        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
            .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder().url(seedSizedDataUrl).build()).build())));
  }

  private static BufferedImage imageSentUpstream(JsonNode request) throws Exception {
    String url = request.get("messages").get(0).get("content").get(1).get("image_url").get("url").asText();
    return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
  }

  @Test
  void theBuiltinModelSearchesWhenImageSearchIsOffered() {
    ChatCompletion completion = client.chat().completions().create(params("builtin", "Where else is this picture?")
        .putAdditionalBodyProperty("tools", JsonValue.from(List.of(Map.of("type", "image_search")))).build());
    assertTrue(completion.id().startsWith("chatcmpl-"), completion.id());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().get(0).finishReason());
    String answer = completion.choices().get(0).message().content().orElseThrow();
    assertTrue(answer.contains("Scene number 2"), answer);
    var usage = completion.usage().orElseThrow();
    // 788×450 at f = 32 is 800×448: 25 × 14 = 350 patches + 2 markers (contract 10, item 27).
    assertEquals(352L, usage.promptTokensDetails().orElseThrow().imageTokens().orElseThrow());
    assertTrue(usage.promptTokens() > 352, "prompt tokens include text and the tool output: " + usage);
    assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
  }

  @Test
  void imagesWithoutImageSearchNeedAnUpstreamAndTheErrorSaysHowToConfigureOne() throws Exception {
    HttpResponse<byte[]> response = postJson(server, "/v1/chat/completions", """
        {"model": "builtin", "messages": [{"role": "user", "content": [
          {"type": "text", "text": "What is in this picture?"},
          {"type": "image_url", "image_url": {"url": "%s"}}]}]}""".formatted(seedSizedDataUrl));
    String message = assertError(response, 400, "model_not_supported", "model");
    assertTrue(message.contains("LOUPE_UPSTREAM_URL") && message.contains("--models"), message);
  }

  @Test
  void imageLimitsAnswerInTheOpenAiEnvelopeWithTheCodesOfSection8() throws Exception {
    String tiny = dataUrl(TestImages.encode(TestImages.scene(10, 10, 1), "png"), "png");
    HttpResponse<byte[]> response = postJson(server, "/compatible-mode/v1/chat/completions", """
        {"model": "qwen3-vl-plus", "messages": [{"role": "user", "content": [
          {"type": "text", "text": "What is this?"},
          {"type": "image_url", "image_url": {"url": "%s"}}]}]}""".formatted(tiny));
    assertError(response, 400, "image_too_small", "messages[0].content[1].image_url");
    response = postJson(server, "/v1/chat/completions", """
        {"model": "qwen3-vl-plus", "messages": [{"role": "user", "content": [
          {"type": "image_url", "image_url": {"url": "file:///etc/passwd"}}]}]}""");
    assertError(response, 400, "invalid_image_url", "messages[0].content[0].image_url");
  }

  @Test
  void aboveFourKOnlyJpegAndPngAndNothingAboveEightK() throws Exception {
    // Contract 8.3: between 4K and 8K only JPEG and PNG; above 8K nothing.
    String webp = "data:image/webp;base64," + Base64.getEncoder().encodeToString(
        TestImages.webp(TestImages.scene(4000, 2200, 3)));
    HttpResponse<byte[]> response = postJson(server, "/v1/chat/completions", """
        {"model": "qwen3-vl-plus", "messages": [{"role": "user", "content": [
          {"type": "image_url", "image_url": {"url": "%s"}}]}]}""".formatted(webp));
    assertEquals("image is 4000x2200 webp; above 4K (3840x2160, 8294400 pixels) only jpeg and png are accepted",
        assertError(response, 400, "unsupported_image_media_type", "messages[0].content[0].image_url"));
    String huge = dataUrl(TestImages.encode(TestImages.scene(7700, 4400, 4), "jpeg"), "jpeg");
    response = postJson(server, "/v1/chat/completions", """
        {"model": "qwen3-vl-plus", "messages": [{"role": "user", "content": [
          {"type": "image_url", "image_url": {"url": "%s"}}]}]}""".formatted(huge));
    assertError(response, 400, "image_too_large", "messages[0].content[0].image_url");
  }

  @Test
  void anUpstreamGetsTheResizedImageAndThinkingFieldsAndStreamsReasoningBack() throws Exception {
    int before = upstream.requests().size();
    upstream.then(sse(role(), reasoning("The picture "), reasoning("shows a scene."), text("A "), text("scene."),
        finish("stop"), usage(400, 9)));
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        params("qwen3-vl-plus", "Describe it.")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .putAdditionalBodyProperty("enable_thinking", JsonValue.from(true))
            .putAdditionalBodyProperty("thinking_budget", JsonValue.from(64)).build())) {
      stream.stream().forEach(chunks::add);
    }
    StringBuilder thought = new StringBuilder();
    StringBuilder answer = new StringBuilder();
    for (ChatCompletionChunk chunk : chunks) {
      for (var choice : chunk.choices()) {
        JsonValue r = choice.delta()._additionalProperties().get("reasoning_content");
        if (r != null && !r.isNull()) {
          thought.append(r.asStringOrThrow());
        }
        choice.delta().content().ifPresent(answer::append);
      }
    }
    assertEquals("The picture shows a scene.", thought.toString());
    assertEquals("A scene.", answer.toString());
    assertEquals(1, chunks.stream().map(ChatCompletionChunk::id).distinct().count());
    ChatCompletionChunk last = chunks.getLast();
    assertEquals(List.of(), last.choices());
    assertEquals(400L, last.usage().orElseThrow().promptTokens());
    assertEquals(352L, last.usage().orElseThrow().promptTokensDetails().orElseThrow().imageTokens().orElseThrow());

    JsonNode sent = upstream.requests().get(before);
    assertEquals(true, sent.get("enable_thinking").asBoolean());
    assertEquals(64, sent.get("thinking_budget").asInt());
    assertEquals(true, sent.get("stream").asBoolean());
    BufferedImage image = imageSentUpstream(sent);
    assertEquals("800x448", image.getWidth() + "x" + image.getHeight());
  }

  @Test
  void aQwen25RouteResizesWithFactor28AndReturnsReasoningContent() throws Exception {
    int before = upstream.requests().size();
    upstream.then(sse(role(), reasoning("Looking."), text("A scene."), finish("stop"), usage(500, 7)));
    ChatCompletion completion = client.chat().completions().create(params("qwen2.5-vl-7b", "Describe it.")
        .putAdditionalBodyProperty("enable_thinking", JsonValue.from(true)).build());
    var message = completion.choices().get(0).message();
    assertEquals("A scene.", message.content().orElseThrow());
    assertEquals("Looking.", message._additionalProperties().get("reasoning_content").asStringOrThrow());
    var details = completion.usage().orElseThrow().promptTokensDetails().orElseThrow();
    // 788×450 at f = 28 is 784×448: 28 × 16 = 448 patches + 2.
    assertEquals(450L, details.imageTokens().orElseThrow());
    assertEquals(50L, details.textTokens().orElseThrow());
    BufferedImage image = imageSentUpstream(upstream.requests().get(before));
    assertEquals("784x448", image.getWidth() + "x" + image.getHeight());
  }

  @Test
  void aTimedOutGenerationReturnsWhatWasWrittenFlaggedPartial() throws Exception {
    upstream.then(stall(3_000, role(), text("Half an ans")));
    HttpResponse<byte[]> response = postJson(server, "/v1/chat/completions", """
        {"model": "slow-vl", "messages": [{"role": "user", "content": "Write a long story."}]}""");
    assertEquals(200, response.statusCode(), new String(response.body()));
    assertEquals("true", response.headers().firstValue("x-dashscope-partialresponse").orElse(null));
    JsonNode choice = json(response).get("choices").get(0);
    assertEquals("length", choice.get("finish_reason").asText());
    assertEquals("Half an ans", choice.get("message").get("content").asText());
  }

  @Test
  void anUpstreamErrorBeforeTheFirstChunkIsAnHttpError() throws Exception {
    upstream.then(ScriptedUpstream.status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
    HttpResponse<byte[]> response = postJson(server, "/v1/chat/completions", """
        {"model": "qwen3-vl-plus", "stream": true, "messages": [{"role": "user", "content": "Hi"}]}""");
    String message = assertError(response, 502, "upstream_error", null);
    assertTrue(message.contains("overloaded"), message);
  }
}
