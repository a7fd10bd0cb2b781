package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;
import static dev.loupe.server.ServerTestSupport.JSON;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.runs.upstream.ScriptedUpstream;
import dev.loupe.server.chat.ChatCompletionsRoutes;
import dev.loupe.server.dashscope.DashScopeRoutes;
import dev.loupe.video.TestClips;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Video parts on the Chat and DashScope native paths, through a real server to a scripted
 * upstream: frame lists and files arrive upstream as a note and one {@code image_url} per frame;
 * refused videos answer 400 in each path's envelope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoInputTest {
  private static final String CHAT = "/compatible-mode/v1/chat/completions";
  private static final String NATIVE = "/api/v1/services/aigc/multimodal-generation/generation";

  private Loupe loupe;
  private ScriptedUpstream upstream;
  private ModelRoutes models;
  private LoupeServer server;
  private String fourFrames;
  private String threeFrames;
  private String mp4DataUrl;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    upstream = new ScriptedUpstream();
    models = RoutesConfig.of("""
        {"routes": [
          {"model": "qwen3*", "backend": "openai-compatible", "base_url": "%s", "max_retries": 0},
          {"model": "*", "backend": "builtin"}
        ]}""".formatted(upstream.baseUrl()), "models.json", Map.of());
    AtomicReference<String> base = new AtomicReference<>();
    long max = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe,
        List.of(ChatCompletionsRoutes.forEngine(loupe, models, base::get, max),
            DashScopeRoutes.forEngine(loupe, models, base::get, max)), models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      frames.add("\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
          TestImages.encode(TestImages.scene(320, 240, i), "jpeg")) + "\"");
    }
    fourFrames = "[" + String.join(",", frames) + "]";
    threeFrames = "[" + String.join(",", frames.subList(0, 3)) + "]";
    Path clip = TestClips.write(dir, TestClips.Kind.MP4_H264, 3 * 10, 10, 160, 120);
    mp4DataUrl = "data:video/mp4;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(clip));
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    models.close();
    upstream.close();
    loupe.close();
  }

  private HttpResponse<byte[]> post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(server, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static JsonNode json(HttpResponse<byte[]> response, int status) throws Exception {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(status, response.statusCode(), text);
    return JSON.readTree(text);
  }

  private String chat(String model, String videoPart) {
    return """
        {"model": "%s", "messages": [{"role": "user", "content": [
          %s, {"type": "text", "text": "What happens?"}]}]}""".formatted(model, videoPart);
  }

  /** Asserts the upstream's last request holds the note then {@code frames} JPEG image parts. */
  private void assertFramesSentUpstream(int before, int frames, String fps) {
    assertEquals(before + 1, upstream.requests().size());
    JsonNode content = upstream.requests().get(before).get("messages").get(0).get("content");
    assertEquals(frames + 2, content.size(), content.toString().substring(0, 200));
    assertEquals("The following " + frames + " images are frames of one video sampled at " + fps + " fps.",
        content.get(0).get("text").asText());
    for (int i = 1; i <= frames; i++) {
      assertEquals("image_url", content.get(i).get("type").asText());
      assertTrue(content.get(i).get("image_url").get("url").asText().startsWith("data:image/jpeg;base64,"));
    }
    assertEquals("What happens?", content.get(frames + 1).get("text").asText());
  }

  @Test
  void aFrameListReachesTheUpstreamAsImages() throws Exception {
    upstream.then(sse(role(), text("A scene changes."), finish("stop"), usage(900, 4)));
    int before = upstream.requests().size();
    JsonNode body = json(post(CHAT, chat("qwen3-vl-plus",
        "{\"type\": \"video\", \"video\": " + fourFrames + ", \"fps\": 2}")), 200);
    assertEquals("A scene changes.", body.get("choices").get(0).get("message").get("content").asText());
    assertFramesSentUpstream(before, 4, "2");
  }

  @Test
  void anMp4ReachesTheUpstreamAsSampledFrames() throws Exception {
    upstream.then(sse(role(), text("Colours change."), finish("stop"), usage(900, 4)));
    int before = upstream.requests().size();
    json(post(CHAT, chat("qwen3-vl-plus",
        "{\"type\": \"video_url\", \"video_url\": {\"url\": \"" + mp4DataUrl + "\"}}")), 200);
    // 3 s at the default fps 2: frames at 0, 0.5, … 2.5 s.
    assertFramesSentUpstream(before, 6, "2");
  }

  @Test
  void nativeVideoItemsAreTranslatedAndBilledAsVideoTokens() throws Exception {
    upstream.then(sse(role(), text("Colours change."), finish("stop")));
    int before = upstream.requests().size();
    JsonNode body = json(post(NATIVE, """
        {"model": "qwen3-vl-plus", "input": {"messages": [{"role": "user", "content": [
          {"video": "%s", "fps": 2}, {"text": "What happens?"}]}]}}""".formatted(mp4DataUrl)), 200);
    assertFramesSentUpstream(before, 6, "2");
    JsonNode usage = body.get("usage");
    // 160×120 frames at f = 32: 160×128 → 5 × 4 = 20 patches + 2 markers, 6 frames.
    assertEquals(6 * 22, usage.get("video_tokens").asInt(), usage.toString());
    assertTrue(usage.get("input_tokens").asInt() > 6 * 22, usage.toString());

    upstream.then(sse(role(), text("Scenes."), finish("stop")));
    before = upstream.requests().size();
    json(post(NATIVE, """
        {"model": "qwen3-vl-plus", "input": {"messages": [{"role": "user", "content": [
          {"video": %s, "fps": 0.5}, {"text": "What happens?"}]}]}}""".formatted(fourFrames)), 200);
    assertFramesSentUpstream(before, 4, "0.5");
  }

  @Test
  void aThreeFrameListIsRefusedInEachEnvelope() throws Exception {
    int before = upstream.requests().size();
    JsonNode error = json(post(CHAT, chat("qwen3-vl-plus",
        "{\"type\": \"video\", \"video\": " + threeFrames + "}")), 400).get("error");
    assertEquals("invalid_video", error.get("code").asText());
    assertEquals("messages[0].content[0].video", error.get("param").asText());
    assertEquals("video frame list has 3 images; at least 4 are required", error.get("message").asText());
    JsonNode nativeError = json(post(NATIVE, """
        {"model": "qwen3-vl-plus", "input": {"messages": [{"role": "user", "content": [
          {"video": %s}, {"text": "What happens?"}]}]}}""".formatted(threeFrames)), 400);
    assertEquals("InvalidParameter", nativeError.get("code").asText());
    assertEquals("video frame list has 3 images; at least 4 are required", nativeError.get("message").asText());
    assertEquals(before, upstream.requests().size(), "nothing reaches the upstream");
  }

  @Test
  void aTextFileIsNotAVideo() throws Exception {
    String text = Base64.getEncoder().encodeToString("just some text, not a video".getBytes(StandardCharsets.UTF_8));
    JsonNode typed = json(post(CHAT, chat("qwen3-vl-plus",
        "{\"type\": \"video_url\", \"video_url\": {\"url\": \"data:text/plain;base64," + text + "\"}}")), 400);
    assertEquals("invalid_video", typed.get("error").get("code").asText());
    assertTrue(typed.get("error").get("message").asText().contains("is not a video"), typed.toString());
    JsonNode sniffed = json(post(CHAT, chat("qwen3-vl-plus",
        "{\"type\": \"video_url\", \"video_url\": {\"url\": \"data:video/mp4;base64," + text + "\"}}")), 400);
    assertTrue(sniffed.get("error").get("message").asText().startsWith("not a supported video"), sniffed.toString());
  }

  @Test
  void theBuiltinModelNeedsAnUpstreamForVideo() throws Exception {
    JsonNode error = json(post(CHAT, chat("builtin",
        "{\"type\": \"video\", \"video\": " + fourFrames + "}")), 400).get("error");
    assertEquals("model_not_supported", error.get("code").asText());
    assertTrue(error.get("message").asText().contains(RoutesConfig.ENV_URL), error.toString());
  }
}
