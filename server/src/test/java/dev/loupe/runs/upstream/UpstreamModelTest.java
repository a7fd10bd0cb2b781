package dev.loupe.runs.upstream;

import static dev.loupe.runs.upstream.ScriptedUpstream.finish;
import static dev.loupe.runs.upstream.ScriptedUpstream.role;
import static dev.loupe.runs.upstream.ScriptedUpstream.sse;
import static dev.loupe.runs.upstream.ScriptedUpstream.text;
import static dev.loupe.runs.upstream.ScriptedUpstream.toolCall;
import static dev.loupe.runs.upstream.ScriptedUpstream.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;
import dev.loupe.protocol.responses.EventSink;
import dev.loupe.protocol.responses.ResponseCall;
import dev.loupe.protocol.responses.ResponseStreamEvent;
import dev.loupe.protocol.responses.ResponsesConfig;
import dev.loupe.protocol.responses.ResponsesService;
import dev.loupe.runs.ModelCatalog;
import dev.loupe.store.ResponseStore;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.runs.ModelBackendContractTestCase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link UpstreamModel} behind the Responses service, against a scripted OpenAI-compatible server on
 * loopback that streams the real chat-completions wire format.
 */
class UpstreamModelTest {
  private static final String KEY = "sk-upstream-secret";
  private static final String IMAGE = "data:image/png;base64,AAAA";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @TempDir
  Path dir;

  ScriptedUpstream upstream;
  ResponseStore store;
  final List<String> searched = new CopyOnWriteArrayList<>();
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    upstream = new ScriptedUpstream();
    store = ResponseStore.open(dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    upstream.close();
    store.close();
  }

  /** A search backend that finds one hit for any image, and remembers what it was asked. */
  ImageSearchTool tool() {
    return ModelBackendContractTestCase.tool(searched);
  }

  ResponsesService service(UpstreamConfig config) {
    UpstreamModel model = new UpstreamModel(config);
    ResponsesService service = new ResponsesService(ModelCatalog.serving(model), tool(), store,
        ResponsesConfig.defaults(), Clock.systemUTC());
    closing.add(service);
    closing.add(model);
    return service;
  }

  UpstreamConfig config() {
    return UpstreamConfig.of(upstream.baseUrl(), KEY).withUpstreamModel("Qwen/Qwen2.5-VL-7B-Instruct")
        .withRetries(2, Duration.ofMillis(10));
  }

  static ObjectNode request(String text, String... images) {
    ObjectNode body = NODES.objectNode().put("model", "qwen2.5-vl").put("instructions", "Be brief.");
    ArrayNode content = body.putArray("input").addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "input_text").put("text", text);
    for (String url : images) {
      content.addObject().put("type", "input_image").put("image_url", url);
    }
    body.putArray("tools").addObject().put("type", "image_search");
    return body;
  }

  /** Round one calls image_search, its arguments in fragments; round two answers. */
  void scriptSearchThenAnswer() {
    upstream.then(
        sse(role(),
            toolCall(0, "call_7", "image_search", ""),
            toolCall(0, null, null, "{\"image_"),
            toolCall(0, null, null, "index\": 1, \"max_"),
            toolCall(0, null, null, "results\": 5}"),
            finish("tool_calls"),
            usage(1300, 25)),
        sse(role(), text("It is the "), text("Stone bridge."), finish("stop"), usage(1420, 12)));
  }

  static List<ResponseStreamEvent> stream(ResponseCall call) throws IOException {
    List<ResponseStreamEvent> events = new ArrayList<>();
    call.stream(new EventSink() {
      @Override
      public void event(ResponseStreamEvent event) {
        events.add(event);
      }

      @Override
      public void comment(String text) { }
    });
    return events;
  }

  static String withoutIds(JsonNode node) {
    return node.toString().replaceAll("(resp|msg|isc)_[0-9a-f]{24}", "$1_ID")
        .replaceAll("\"(created_at|completed_at)\":\\d+", "\"$1\":0");
  }

  @Test
  void aToolCallStreamedInFragmentsRunsTheSearchAndTheAnswerFollows() throws Exception {
    scriptSearchThenAnswer();
    ObjectNode r = service(config()).prepare(request("Where is this from?", IMAGE), null).await();

    assertEquals("completed", r.get("status").asText(), r.toString());
    JsonNode output = r.get("output");
    assertEquals(2, output.size(), output.toString());
    assertEquals("image_search_call", output.get(0).get("type").asText());
    assertEquals("completed", output.get(0).get("status").asText());
    String hits = output.get(0).get("output").asText();
    assertTrue(hits.startsWith("[{\"index\":1,\"title\":\"Stone bridge\",\"url\":\"https://img.example.org/bridge.jpg\""), hits);
    assertEquals("message", output.get(1).get("type").asText());
    assertEquals("It is the Stone bridge.", output.get(1).get("content").get(0).get("text").asText());
    assertEquals(List.of(IMAGE + " top 5"), searched);

    JsonNode usage = r.get("usage");
    assertEquals(1300 + 1420, usage.get("input_tokens").asInt());
    assertEquals(25 + 12, usage.get("output_tokens").asInt());
    assertEquals(1300 + 1420 + 25 + 12, usage.get("total_tokens").asInt());
    assertEquals("{\"image_search\":{\"count\":1}}", usage.get("x_tools").toString());

    List<JsonNode> sent = upstream.requests();
    assertEquals(2, sent.size());
    JsonNode first = sent.get(0);
    assertEquals("Qwen/Qwen2.5-VL-7B-Instruct", first.get("model").asText());
    assertTrue(first.get("stream").asBoolean());
    assertEquals("{\"include_usage\":true}", first.get("stream_options").toString());
    assertEquals("auto", first.get("tool_choice").asText());
    assertEquals(UpstreamModel.toolDefinition().toString(), first.get("tools").get(0).toString());
    assertEquals("{\"type\":\"object\",\"properties\":{\"image_index\":{\"type\":\"integer\",\"description\":"
        + "\"which input image, 1-based\"},\"query\":{\"type\":\"string\",\"description\":\"optional: what the user "
        + "wants to know about the image\"},\"max_results\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100}},"
        + "\"required\":[\"image_index\"]}", first.get("tools").get(0).get("function").get("parameters").toString());
    assertEquals("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Where is this from?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + IMAGE + "\",\"detail\":\"auto\"}}]}]",
        first.get("messages").toString());
    assertEquals("Bearer " + KEY, upstream.headers().get(0).getFirst("Authorization"));

    JsonNode messages = sent.get(1).get("messages");
    assertEquals(4, messages.size(), messages.toString());
    assertEquals("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_7\",\"type\":\"function\","
        + "\"function\":{\"name\":\"image_search\",\"arguments\":\"{\\\"image_index\\\": 1, \\\"max_results\\\": 5}\"}}]}",
        messages.get(2).toString());
    assertEquals("tool", messages.get(3).get("role").asText());
    assertEquals("call_7", messages.get(3).get("tool_call_id").asText());
    assertEquals(hits, messages.get(3).get("content").asText(), "the hits JSON goes back to the model");
    assertEquals(r.toString(), service(config()).retrieve(r.get("id").asText()).toString(), "completed: stored");
  }

  @Test
  void streamingShowsTheSearchAndTheDeltasAndFoldsToTheSameResponse() throws Exception {
    scriptSearchThenAnswer();
    ResponsesService service = service(config());
    List<ResponseStreamEvent> events = stream(service.prepare(request("Where is this from?", IMAGE), null));
    scriptSearchThenAnswer();
    ObjectNode blocking = service.prepare(request("Where is this from?", IMAGE), null).await();

    assertEquals(List.of("response.created", "response.in_progress",
        "response.output_item.added", "response.output_item.done",
        "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.completed"), events.stream().map(ResponseStreamEvent::type).toList());
    assertEquals("image_search_call", events.get(2).data().get("item").get("type").asText());
    assertEquals("It is the ", events.get(6).data().get("delta").asText());
    assertEquals("Stone bridge.", events.get(7).data().get("delta").asText());
    assertEquals(withoutIds(blocking), withoutIds(events.getLast().data().get("response")));
  }

  @Test
  void toolChoiceNoneAndMaxToolCallsZeroDeclareNoTools() throws Exception {
    ResponsesService service = service(config());
    for (ObjectNode body : List.of(request("Hi", IMAGE).put("tool_choice", "none"),
        request("Hi", IMAGE).put("max_tool_calls", 0), request("Hi", IMAGE).without("tools"))) {
      upstream.then(sse(role(), text("Hello."), finish("stop"), usage(10, 2)));
      ObjectNode r = service.prepare(body, null).await();
      assertEquals("Hello.", r.get("output").get(0).get("content").get(0).get("text").asText());
      assertFalse(upstream.requests().getLast().has("tools"), upstream.requests().getLast().toString());
      assertFalse(r.get("usage").has("x_tools"));
    }
    assertEquals(List.of(), searched);
  }

  @Test
  void toolChoiceRequiredIsSentInTheFirstRoundOnly() throws Exception {
    scriptSearchThenAnswer();
    service(config()).prepare(request("Find it", IMAGE).put("tool_choice", "required"), null).await();
    assertEquals("required", upstream.requests().get(0).get("tool_choice").asText());
    assertEquals("auto", upstream.requests().get(1).get("tool_choice").asText());
  }

  @Test
  void aWrongCallIsAnsweredWithAnErrorTheModelCanReadAndIsNotASearch() throws Exception {
    upstream.then(
        sse(toolCall(0, "call_1", "image_search", "{\"image_index\": 3}"), finish("tool_calls")),
        sse(text("Sorry."), finish("stop")));
    ObjectNode r = service(config()).prepare(request("Find it", IMAGE), null).await();
    assertEquals(1, r.get("output").size());
    assertEquals("Sorry.", r.get("output").get(0).get("content").get(0).get("text").asText());
    JsonNode tool = upstream.requests().get(1).get("messages").get(3);
    assertEquals("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":"
        + "\"{\\\"error\\\":\\\"image_index must be between 1 and 1, got: 3\\\"}\"}", tool.toString());
    assertEquals(List.of(), searched);
    assertTrue(r.get("usage").get("input_tokens").asInt() > 0, "estimated when the server reports no usage");
  }

  @Test
  void aRateLimitThenSuccessIsRetried() throws Exception {
    upstream.then(ScriptedUpstream.status(429, "{\"error\":{\"message\":\"slow down\"}}"),
        ScriptedUpstream.status(503, "{\"error\":{\"message\":\"loading\"}}"),
        sse(text("Fine."), finish("stop"), usage(5, 1)));
    ObjectNode r = service(config()).prepare(request("Hi"), null).await();
    assertEquals("completed", r.get("status").asText());
    assertEquals(3, upstream.requests().size());
  }

  @Test
  void anUpstreamErrorIs502WithItsMessageAfterTheRetries() throws Exception {
    upstream.then(ScriptedUpstream.status(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"),
        ScriptedUpstream.status(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"),
        ScriptedUpstream.status(500, "{\"error\":{\"message\":\"CUDA out of memory\"}}"));
    ApiException e = assertThrows(ApiException.class, () -> service(config()).prepare(request("Hi"), null).await());
    assertEquals(502, e.status());
    assertEquals("upstream_error", e.code());
    assertEquals("server_error", e.type());
    assertEquals("The model upstream at " + upstream.baseUrl().getAuthority() + " answered HTTP 500: CUDA out of memory",
        e.getMessage());
    assertEquals(3, upstream.requests().size(), "two retries");

    upstream.then(ScriptedUpstream.status(400, "{\"object\":\"error\",\"message\":\"image input not supported\"}"));
    ApiException bad = assertThrows(ApiException.class, () -> service(config()).prepare(request("Hi"), null).await());
    assertEquals("The model upstream at " + upstream.baseUrl().getAuthority()
        + " answered HTTP 400: image input not supported", bad.getMessage());
    assertEquals(4, upstream.requests().size(), "a 400 is not retried");
  }

  @Test
  void anUnreachableUpstreamIs502WithoutTheKeyAndAFailedStream() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ResponsesService service = service(UpstreamConfig.of(URI.create("http://127.0.0.1:" + port + "/v1"), KEY));
    ApiException e = assertThrows(ApiException.class, () -> service.prepare(request("Hi"), null).await());
    assertEquals(502, e.status());
    assertEquals("upstream_unavailable", e.code());
    assertTrue(e.getMessage().startsWith("The model upstream at 127.0.0.1:" + port + " cannot be reached"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
    assertEquals("{\"message\":\"" + e.getMessage() + "\",\"type\":\"server_error\",\"param\":null,"
        + "\"code\":\"upstream_unavailable\"}", e.openAiError().toString());

    List<ResponseStreamEvent> events = stream(service.prepare(request("Hi"), null));
    assertEquals(List.of("response.created", "response.in_progress", "response.failed"),
        events.stream().map(ResponseStreamEvent::type).toList());
    JsonNode failed = events.getLast().data().get("response");
    assertEquals("server_error", failed.get("error").get("code").asText(), "response.error.code is from OpenAI's enum");
    assertEquals(e.getMessage(), failed.get("error").get("message").asText());
    String id = failed.get("id").asText();
    assertEquals(404, assertThrows(ApiException.class, () -> service.retrieve(id)).status(), "failed: not stored");
  }

  @Test
  void aSlowUpstreamIs504() throws Exception {
    upstream.then(ScriptedUpstream.slow(3000, sse(text("late"), finish("stop"))));
    ResponsesService service = service(config().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300))
        .withRetries(0, Duration.ZERO));
    ApiException e = assertThrows(ApiException.class, () -> service.prepare(request("Hi"), null).await());
    assertEquals(504, e.status());
    assertEquals("upstream_timeout", e.code());
    assertEquals("The model upstream at " + upstream.baseUrl().getAuthority() + " did not answer within 300 ms.",
        e.getMessage());
  }

  @Test
  void aStreamThatStallsMidwayFailsTheStreamAndStoresNothing() throws Exception {
    upstream.then(ScriptedUpstream.stall(3000, role(), text("Half an")));
    ResponsesService service = service(config().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
    long start = System.nanoTime();
    List<ResponseStreamEvent> events = stream(service.prepare(request("Hi"), null));
    assertTrue(System.nanoTime() - start < 2_500_000_000L, "the watchdog ends the read, not the server");
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.failed"),
        events.stream().map(ResponseStreamEvent::type).toList());
    JsonNode failed = events.getLast().data().get("response");
    assertEquals("The model upstream at " + upstream.baseUrl().getAuthority()
        + " did not send the next part of its answer within 300 ms.", failed.get("error").get("message").asText());
    assertEquals(0, failed.get("output").size(), "the half message is not part of the failed response");
    String id = failed.get("id").asText();
    assertEquals(404, assertThrows(ApiException.class, () -> service.retrieve(id)).status());
  }

  @Test
  void aStreamCutBeforeItFinishedIs502AndNothingIsStored() throws Exception {
    upstream.then(ScriptedUpstream.stall(0, role(), text("Half an")));
    ResponsesService service = service(config());
    ApiException e = assertThrows(ApiException.class, () -> service.prepare(request("Hi"), null).await());
    assertEquals(502, e.status());
    assertEquals("upstream_error", e.code());
    assertEquals("The model upstream at " + upstream.baseUrl().getAuthority()
        + " sent a bad stream: the stream ended before the completion finished", e.getMessage());

    upstream.then(sse(text("Bad"), "{\"error\":{\"message\":\"context length exceeded\",\"type\":\"invalid_request_error\"}}"));
    ApiException inStream = assertThrows(ApiException.class, () -> service.prepare(request("Hi"), null).await());
    assertEquals("The model upstream at " + upstream.baseUrl().getAuthority()
        + " sent a bad stream: error in the stream: context length exceeded", inStream.getMessage());
  }

  @Test
  void maxOutputTokensIsSentAndLengthEndsIncomplete() throws Exception {
    upstream.then(sse(text("A long"), finish("length"), usage(10, 16)));
    ObjectNode r = service(config()).prepare(request("Hi").put("max_output_tokens", 16), null).await();
    assertEquals(16, upstream.requests().getFirst().get("max_tokens").asInt());
    assertEquals("incomplete", r.get("status").asText());
    assertEquals("{\"reason\":\"max_output_tokens\"}", r.get("incomplete_details").toString());
  }
}
