package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.reasoning;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;
import static dev.loupe.server.ServerTestSupport.JSON;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.protocol.dashscope.DashScopeService;
import dev.loupe.runs.TokenCounter;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.runs.routing.RoutesConfig;
import dev.loupe.runs.upstream.ScriptedUpstream;
import dev.loupe.server.chat.ChatCompletionsRoutes;
import dev.loupe.server.dashscope.DashScopeRoutes;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * DashScope's native protocol on the wire, as curl sees it: the exact SSE framing of contract 7.3,
 * the response shape of 7.2, the native error envelope of 7.4/8.2 on every failure under {@code
 * /api/v1/} (auth included, 1.2), and the upload refusal of 7.6.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashScopeWireTest {
  private static final String KEY = "sk-wire";
  private static final String GENERATION = "/api/v1/services/aigc/multimodal-generation/generation";
  private static final String HI = """
      {"model": "qwen3-vl-plus", "input": {"messages": [{"role": "user", "content": [{"text": "Hi"}]}]},
       "parameters": {"incremental_output": %s, "enable_search": false, "result_format": "message"}}""";

  private Loupe loupe;
  private ScriptedUpstream upstream;
  private ModelRoutes models;
  private LoupeServer server;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    upstream = new ScriptedUpstream();
    models = RoutesConfig.of("""
        {"routes": [{"model": "qwen3*", "backend": "openai-compatible", "base_url": "%s", "max_retries": 0}]}"""
        .formatted(upstream.baseUrl()), "models.json", Map.of());
    AtomicReference<String> base = new AtomicReference<>();
    long max = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;
    server = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of(KEY)), loupe,
        List.of(ChatCompletionsRoutes.forEngine(loupe, models, base::get, max),
            DashScopeRoutes.forEngine(loupe, models, base::get, max)), models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    models.close();
    upstream.close();
    loupe.close();
  }

  private HttpResponse<byte[]> post(String body, boolean sse) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, GENERATION))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (sse) {
      request.header("X-DashScope-SSE", "enable").header("Accept", "text/event-stream");
    }
    return send(request);
  }

  /** Asserts the native envelope: exactly {code, message, request_id}, the id as in the header. */
  private static String assertNativeError(HttpResponse<byte[]> response, int status, String code) throws Exception {
    String text = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(status, response.statusCode(), text);
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    JsonNode body = JSON.readTree(text);
    assertEquals(List.of("code", "message", "request_id"), List.copyOf(keys(body)), text);
    assertEquals(code, body.get("code").asText(), text);
    assertEquals(response.headers().firstValue("x-request-id").orElseThrow(), body.get("request_id").asText());
    return body.get("message").asText();
  }

  private static List<String> keys(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * What the listener refuses before any route (a malformed header, a body over the cap, a request
   * line too long) comes in an envelope too: DashScope's where the path was read, OpenAI's for a
   * request line too long to read at all (no path is known then).
   */
  @Test
  void theListenersOwnRefusalsComeInAnEnvelope() throws Exception {
    String bad = raw("POST " + GENERATION + " HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n");
    assertTrue(bad.startsWith("HTTP/1.1 400 "), bad);
    JsonNode badBody = JSON.readTree(bad.substring(bad.indexOf("\r\n\r\n") + 4));
    assertEquals("InvalidParameter", badBody.get("code").asText(), bad);
    assertTrue(bad.toLowerCase(java.util.Locale.ROOT).contains("x-request-id: " + badBody.get("request_id").asText()), bad);

    HttpResponse<byte[]> large = send(HttpRequest.newBuilder(uri(server, GENERATION))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) ServerConfig.DEFAULT_MAX_REQUEST_BYTES + 1])));
    assertEquals(413, large.statusCode());
    assertEquals("InvalidParameter", JSON.readTree(large.body()).get("code").asText());

    String longLine = raw("GET " + GENERATION + "?q=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertTrue(longLine.startsWith("HTTP/1.1 414 "), longLine);
    JsonNode longBody = JSON.readTree(longLine.substring(longLine.indexOf("\r\n\r\n") + 4));
    assertEquals("uri_too_long", longBody.get("error").get("code").asText(), longLine);
    assertTrue(longBody.get("error").get("message").asText().contains("8192 bytes"), longLine);
  }

  /** Sends {@code request} as it stands on a new connection and reads the answer to its end. */
  private String raw(String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      int n;
      try {
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        // a kept-alive connection: what arrived is the answer
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aNonStreamingReplyHasTheShapeOf72() throws Exception {
    upstream.then(sse(role(), text("Hello."), finish("stop"), usage(12, 2)));
    HttpResponse<byte[]> response = post(HI.formatted("false"), false);
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    String id = response.headers().firstValue("x-request-id").orElseThrow();
    assertEquals(JSON.readTree("""
        {"output": {"choices": [{"finish_reason": "stop",
           "message": {"role": "assistant", "content": [{"text": "Hello."}]}}]},
         "usage": {"input_tokens": 12, "output_tokens": 2, "total_tokens": 14, "image_tokens": 0},
         "request_id": "%s"}""".formatted(id)), JSON.readTree(response.body()));
  }

  @Test
  void theSseHeaderStreamsWithTheExactFramingOf73() throws Exception {
    upstream.then(sse(role(), text("Hel"), text("lo."), finish("stop"), usage(12, 2)));
    HttpResponse<byte[]> response = post(HI.formatted("true"), true);
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("content-type").orElse(""));
    String id = response.headers().firstValue("x-request-id").orElseThrow();
    int estimate = 4 + TokenCounter.count("Hi"); // the running input count until the upstream's arrives
    String expected = """
        id:1
        event:result
        :HTTP_STATUS/200
        data:{"output":{"choices":[{"finish_reason":"null","message":{"role":"assistant","content":[{"text":"Hel"}]}}]},"usage":{"input_tokens":%1$d,"output_tokens":1,"total_tokens":%2$d,"image_tokens":0},"request_id":"%4$s"}

        id:2
        event:result
        :HTTP_STATUS/200
        data:{"output":{"choices":[{"finish_reason":"null","message":{"role":"assistant","content":[{"text":"lo."}]}}]},"usage":{"input_tokens":%1$d,"output_tokens":2,"total_tokens":%3$d,"image_tokens":0},"request_id":"%4$s"}

        id:3
        event:result
        :HTTP_STATUS/200
        data:{"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":[]}}]},"usage":{"input_tokens":12,"output_tokens":2,"total_tokens":14,"image_tokens":0},"request_id":"%4$s"}

        """.formatted(estimate, estimate + 1, estimate + 2, id);
    assertEquals(expected, new String(response.body(), StandardCharsets.UTF_8));
  }

  @Test
  void withoutIncrementalOutputEveryChunkHoldsTheWholeTextSoFar() throws Exception {
    upstream.then(sse(role(), reasoning("Hm."), text("Hel"), text("lo."), finish("stop"), usage(12, 3)));
    HttpResponse<byte[]> response = post(HI.formatted("false"), true);
    List<JsonNode> messages = new ArrayList<>();
    for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data:")) {
        messages.add(JSON.readTree(line.substring(5)).get("output").get("choices").get(0).get("message"));
      }
    }
    assertEquals(List.of("[]", "[{\"text\":\"Hel\"}]", "[{\"text\":\"Hello.\"}]", "[{\"text\":\"Hello.\"}]"),
        messages.stream().map(m -> m.get("content").toString()).toList());
    assertEquals(List.of("Hm.", "Hm.", "Hm.", "Hm."),
        messages.stream().map(m -> m.get("reasoning_content").asText()).toList());
  }

  @Test
  void acceptEventStreamAloneDoesNotStream() throws Exception {
    upstream.then(sse(role(), text("Hello."), finish("stop"), usage(12, 2)));
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri(server, GENERATION))
        .header("Authorization", "Bearer " + KEY).header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(HI.formatted("true"))));
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    assertEquals("Hello.", JSON.readTree(response.body()).at("/output/choices/0/message/content/0/text").asText());
  }

  @Test
  void aFailureAfterTheFirstChunkIsOneErrorEvent() throws Exception {
    upstream.then(sse(role(), text("Hel"), "{\"error\":{\"message\":\"context length exceeded\"}}"));
    HttpResponse<byte[]> response = post(HI.formatted("true"), true);
    String body = new String(response.body(), StandardCharsets.UTF_8);
    String[] events = body.split("\n\n");
    assertEquals(2, events.length, body);
    String[] lines = events[1].split("\n");
    assertEquals("id:2", lines[0]);
    assertEquals("event:error", lines[1]);
    assertTrue(lines[2].startsWith(":HTTP_STATUS/5"), lines[2]);
    JsonNode error = JSON.readTree(lines[3].substring("data:".length()));
    assertEquals(List.of("code", "message", "request_id"), keys(error));
    assertTrue(error.get("message").asText().contains("context length exceeded"), error.toString());
  }

  @Test
  void badRequestsAnswerInTheNativeEnvelope() throws Exception {
    assertEquals("Missing required parameter: 'model'.", assertNativeError(post("""
        {"input": {"messages": [{"role": "user", "content": [{"text": "Hi"}]}]}}""", false), 400, "InvalidParameter"));
    String video = assertNativeError(post("""
        {"model": "qwen3-vl-plus", "input": {"messages": [{"role": "user", "content": [
          {"video": ["https://a.example/1.jpg", "https://a.example/2.jpg", "https://a.example/3.jpg"],
           "fps": 2}, {"text": "What happens?"}]}]}}""", true),
        400, "InvalidParameter");
    assertEquals("video frame list has 3 images; at least 4 are required", video);
    String tiny = assertNativeError(post("""
        {"model": "qwen3-vl-plus", "input": {"messages": [{"role": "user", "content": [
          {"image": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAQAAAAA="}]}]}}""", false),
        400, "InvalidParameter");
    assertFalse(tiny.isBlank());
    String model = assertNativeError(post(HI.replace("qwen3-vl-plus", "nope").formatted("false"), false),
        404, "ModelNotFound");
    assertTrue(model.contains("'nope'"), model);
    assertNativeError(send(HttpRequest.newBuilder(uri(server, GENERATION)).header("Authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{not json"))), 400, "InvalidParameter");
    assertNativeError(send(HttpRequest.newBuilder(uri(server, "/api/v1/services/nothing-here"))
        .header("Authorization", "Bearer " + KEY).GET()), 404, "NotFound");
  }

  @Test
  void aMissingOrWrongKeyIsInvalidApiKeyOnNativePathsOnly() throws Exception {
    HttpResponse<byte[]> missing = send(HttpRequest.newBuilder(uri(server, GENERATION))
        .POST(HttpRequest.BodyPublishers.ofString(HI.formatted("false"))));
    assertNativeError(missing, 401, "InvalidApiKey");
    HttpResponse<byte[]> wrong = send(HttpRequest.newBuilder(uri(server, GENERATION))
        .header("Authorization", "Bearer nope").POST(HttpRequest.BodyPublishers.ofString(HI.formatted("false"))));
    assertEquals("Incorrect API key provided.", assertNativeError(wrong, 401, "InvalidApiKey"));
    // The OpenAI-compatible paths keep their envelope (contract 8.1).
    HttpResponse<byte[]> compat = send(HttpRequest.newBuilder(uri(server, "/compatible-mode/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(401, compat.statusCode());
    assertEquals("invalid_api_key", JSON.readTree(compat.body()).get("error").get("code").asText());
  }

  @Test
  void getPolicyRefusesLocalUploadsAsDocumentedIn76() throws Exception {
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(
        uri(server, "/api/v1/uploads?action=getPolicy&model=qwen3-vl-plus")).header("Authorization", "Bearer " + KEY)
        .GET());
    assertEquals(DashScopeService.LOCAL_UPLOAD_REFUSED, assertNativeError(response, 400, "InvalidParameter"));
  }
}
