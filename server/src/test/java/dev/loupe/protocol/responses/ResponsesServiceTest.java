package dev.loupe.protocol.responses;

import dev.loupe.protocol.ApiException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.runs.BuiltinModel;
import dev.loupe.runs.Finish;
import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.TestBackends;
import dev.loupe.runs.ModelCatalog;
import dev.loupe.runs.RunEvent;
import dev.loupe.store.ResponseStore;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.tools.LoupeSearchBackend;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Responses service over a real engine on a temporary data directory. */
class ResponsesServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Loupe loupe;
  static ResponseStore store;
  static ResponsesService service;
  static String queryUrl;

  @BeforeAll
  static void indexSomeScenes() throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    String[] titles = {"Stone bridge over a misty lake", "Ink-wash pavilion by the lake", "Mountain temple at dawn"};
    // Two demo photographs of mountains at dusk that look alike, and a generated scene that does not.
    BufferedImage[] pictures = {TestImages.demoPhoto("lomiri-sunset.jpg"), TestImages.demoPhoto("lomiri-picosdeeuropa.jpg"),
        TestImages.scene(640, 480, 3)};
    for (int i = 0; i < titles.length; i++) {
      loupe.ingestor().add(TestImages.encode(pictures[i], "jpeg"),
          new ImageRecord("https://img.example.org/scene-" + (i + 1) + ".jpg", titles[i],
              "https://www.example.org/gallery-" + (i + 1) + ".html", Instant.parse("2021-0" + (i + 1) + "-15T10:00:00Z")));
    }
    // A local file: no URL of its own, so the tool builds one.
    loupe.ingestor().add(TestImages.encode(TestImages.demoPhoto("lomiri-aitzgorri.jpg"), "png"),
        ImageRecord.of("/photos/local-lake.png"));
    queryUrl = dataUrl(scaled(pictures[0], 0.75));
    store = ResponseStore.open(dir.resolve("data"));
    service = new ResponsesService(ModelCatalog.serving(new BuiltinModel()),
        new ImageSearchTool(new LoupeSearchBackend(loupe), 100, id -> "http://localhost:8080/v1/images/" + id + "/content"),
        store, ResponsesConfig.defaults(), Clock.systemUTC());
  }

  @AfterAll
  static void close() throws IOException {
    service.close();
    store.close();
    loupe.close();
  }

  static BufferedImage scaled(BufferedImage src, double f) {
    BufferedImage out = new BufferedImage((int) (src.getWidth() * f), (int) (src.getHeight() * f), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(src, 0, 0, out.getWidth(), out.getHeight(), null);
    g.dispose();
    return out;
  }

  static String dataUrl(BufferedImage img) {
    return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(TestImages.encode(img, "jpeg"));
  }

  static ObjectNode request(String text, String... imageUrls) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "qwen3.7-plus");
    ArrayNode content = body.putArray("input").addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "input_text").put("text", text);
    for (String url : imageUrls) {
      content.addObject().put("type", "input_image").put("image_url", url);
    }
    body.putArray("tools").addObject().put("type", "image_search");
    return body;
  }

  static List<ResponseStreamEvent> stream(JsonNode body) throws Exception {
    List<ResponseStreamEvent> events = new ArrayList<>();
    service.prepare(body, "enable").stream(new EventSink() {
      @Override
      public void event(ResponseStreamEvent event) {
        events.add(event);
      }

      @Override
      public void comment(String text) { }
    });
    return events;
  }

  /** What a client accumulator does with the stream: rebuild output from item and text events. */
  static ObjectNode fold(List<ResponseStreamEvent> events) {
    List<ObjectNode> output = new ArrayList<>();
    ObjectNode terminal = null;
    for (ResponseStreamEvent e : events) {
      ObjectNode d = e.data();
      switch (e.type()) {
        case "response.output_item.added" -> {
          assertEquals(output.size(), d.get("output_index").asInt());
          output.add((ObjectNode) d.get("item").deepCopy());
        }
        case "response.content_part.added" ->
            ((ArrayNode) output.get(d.get("output_index").asInt()).get("content")).add(d.get("part").deepCopy());
        case "response.output_text.delta" -> {
          ObjectNode part = (ObjectNode) output.get(d.get("output_index").asInt()).get("content").get(d.get("content_index").asInt());
          part.put("text", part.get("text").asText() + d.get("delta").asText());
        }
        case "response.output_item.done" -> output.set(d.get("output_index").asInt(), (ObjectNode) d.get("item").deepCopy());
        case "response.completed", "response.incomplete", "response.failed" -> terminal = (ObjectNode) d.get("response").deepCopy();
        default -> { }
      }
    }
    assertNotNull(terminal);
    ArrayNode out = terminal.putArray("output");
    output.forEach(out::add);
    return terminal;
  }

  static String withoutIds(JsonNode node) {
    return node.toString().replaceAll("(resp|msg|isc)_[0-9a-f]{24}", "$1_ID")
        .replaceAll("\"(created_at|completed_at)\":\\d+", "\"$1\":0");
  }

  @Test
  void nonStreamingSearchesAndNamesTheCopy() throws Exception {
    ObjectNode r = service.prepare(request("Where else does this picture appear?", queryUrl), null).await();
    assertEquals("response", r.get("object").asText());
    assertEquals("completed", r.get("status").asText());
    assertTrue(r.get("id").asText().startsWith("resp_"));
    assertEquals(2, r.get("output").size());
    JsonNode call = r.get("output").get(0);
    assertEquals("image_search_call", call.get("type").asText());
    assertEquals("completed", call.get("status").asText());
    JsonNode hits = JSON.readTree(call.get("output").asText());
    // The copy and the two photographs alike; the generated scene is under the similar tier's floor.
    assertEquals(3, hits.size());
    List<String> firstKeys = new ArrayList<>();
    Iterator<String> names = hits.get(0).fieldNames();
    while (names.hasNext()) {
      firstKeys.add(names.next());
    }
    assertEquals(List.of("index", "title", "url", "id", "page_url", "score", "match", "first_seen", "width", "height",
        "last_seen", "occurrences", "differences"), firstKeys);
    assertEquals(1, hits.get(0).get("index").asInt());
    assertEquals("Stone bridge over a misty lake", hits.get(0).get("title").asText());
    assertEquals("https://img.example.org/scene-1.jpg", hits.get(0).get("url").asText());
    assertEquals("near_duplicate", hits.get(0).get("match").asText());
    boolean localHasContentUrl = false;
    for (JsonNode h : hits) {
      localHasContentUrl |= h.get("url").asText().equals("http://localhost:8080/v1/images/" + h.get("id").asText() + "/content");
    }
    assertTrue(localHasContentUrl, hits.toString());

    JsonNode message = r.get("output").get(1);
    assertEquals("message", message.get("type").asText());
    assertEquals("assistant", message.get("role").asText());
    String text = message.get("content").get(0).get("text").asText();
    assertTrue(text.startsWith("I searched the collection with your image and found 3 results.\n"
        + "1 of them is a copy of your image (1 near-duplicate).\n"
        + "The earliest sighting is \"Stone bridge over a misty lake\", first seen on 2021-01-15 at "
        + "https://www.example.org/gallery-1.html.\n"
        // The query is the picture at 75% of each side: keypoints align it and name the change.
        + "How the copies differ from your image: resizing (1).\nTop matches:\n"
        + "1. [Stone bridge over a misty lake](https://img.example.org/scene-1.jpg) (near-duplicate, "), text);
    assertTrue(text.contains("Words the titles share: lake."), text);

    JsonNode usage = r.get("usage");
    assertEquals(1, usage.get("x_tools").get("image_search").get("count").asInt());
    // The image costs what smart resize says for its size on this route (f = 32), as on Chat
    // Completions and DashScope; the tool's results count too.
    var info = new dev.loupe.image.ImageLoader(dev.loupe.image.ImageLimits.defaults())
        .probe(java.util.Base64.getDecoder().decode(queryUrl.substring(queryUrl.indexOf(',') + 1)));
    int imageTokens = dev.loupe.protocol.qwen.ImageTokens.of(info.width(), info.height(),
        dev.loupe.protocol.qwen.PixelBounds.of(32, false, null, null));
    assertTrue(imageTokens != dev.loupe.runs.TokenCounter.IMAGE_TOKENS, "a size whose count differs from the old flat one");
    assertTrue(usage.get("input_tokens").asInt() > imageTokens + 100, "image cost and results count: " + usage);
    assertEquals(usage.get("input_tokens").asInt() + usage.get("output_tokens").asInt(), usage.get("total_tokens").asInt());
    assertEquals(0, usage.get("input_tokens_details").get("cache_write_tokens").asInt());
    assertEquals(0, usage.get("output_tokens_details").get("reasoning_tokens").asInt());
    for (String field : List.of("created_at", "completed_at", "model", "parallel_tool_calls", "tool_choice", "tools",
        "error", "incomplete_details", "instructions", "metadata", "max_output_tokens", "max_tool_calls",
        "previous_response_id", "store", "text", "reasoning", "truncation", "temperature", "top_p", "background", "user")) {
      assertTrue(r.has(field), field);
    }
    assertFalse(r.has("output_text"), "SDKs compute output_text (contract 2.3)");
  }

  @Test
  void streamingFoldsToTheNonStreamingResponse() throws Exception {
    ObjectNode blocking = service.prepare(request("Find copies", queryUrl), null).await();
    List<ResponseStreamEvent> events = stream(request("Find copies", queryUrl));
    ObjectNode folded = fold(events);
    assertEquals(withoutIds(blocking), withoutIds(folded));
    assertEquals(withoutIds(blocking), withoutIds(events.getLast().data().get("response")));
    long deltas = events.stream().filter(e -> e.type().equals("response.output_text.delta")).count();
    assertTrue(deltas > 3, "text streams in several deltas: " + deltas);
  }

  @Test
  void eventOrderFollowsSection32() throws Exception {
    List<ResponseStreamEvent> events = stream(request("Find copies", queryUrl));
    List<String> types = events.stream().map(ResponseStreamEvent::type).filter(t -> !t.equals("response.output_text.delta")).toList();
    assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
        "response.output_item.done", "response.output_item.added", "response.content_part.added",
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"), types);
    int firstDelta = events.indexOf(events.stream().filter(e -> e.type().equals("response.output_text.delta")).findFirst().orElseThrow());
    assertEquals("response.content_part.added", events.get(firstDelta - 1).type());
    String id = events.getFirst().data().get("response").get("id").asText();
    for (int i = 0; i < events.size(); i++) {
      ObjectNode d = events.get(i).data();
      assertEquals(i, d.get("sequence_number").asInt());
      assertEquals(events.get(i).type(), d.get("type").asText());
      assertFalse(d.has("error"), "no top-level error key (contract 3.1 rule 3)");
      if (d.has("response")) {
        assertEquals(id, d.get("response").get("id").asText());
      }
    }
    ObjectNode created = events.getFirst().data();
    assertEquals("in_progress", created.get("response").get("status").asText());
    assertEquals(0, created.get("response").get("output").size());
    assertTrue(created.get("response").get("usage").isNull());
    JsonNode added = events.get(2).data().get("item");
    assertEquals("{\"id\":\"" + added.get("id").asText() + "\",\"type\":\"image_search_call\",\"status\":\"in_progress\"}",
        added.toString());
    ObjectNode partAdded = events.get(5).data();
    String messageId = events.get(4).data().get("item").get("id").asText();
    assertEquals("{\"type\":\"response.content_part.added\",\"sequence_number\":5,\"item_id\":\"" + messageId
        + "\",\"output_index\":1,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[],"
        + "\"logprobs\":[]}}", partAdded.toString());
    ObjectNode delta = events.get(6).data();
    assertTrue(delta.get("logprobs").isArray());
    assertEquals(messageId, delta.get("item_id").asText());
  }

  @Test
  void answersInChineseAndJapanese() throws Exception {
    String zh = service.prepare(request("找一下这张图片的出处", queryUrl), null).await()
        .get("output").get(1).get("content").get(0).get("text").asText();
    assertTrue(zh.startsWith("我用你的图片在图库中搜索，共找到 3 个结果。\n其中 1 个是你这张图片的副本（1 近似副本）。\n"
        + "最早的出现是“Stone bridge over a misty lake”，首次发现于 2021-01-15"), zh);
    String ja = service.prepare(request("この画像の出典を探してください", queryUrl), null).await()
        .get("output").get(1).get("content").get(0).get("text").asText();
    assertTrue(ja.startsWith("画像でコレクションを検索し、3 件の結果が見つかりました。\nそのうち 1 件はこの画像のコピーです（1 ほぼ同一）。"), ja);
  }

  @Test
  void withoutAnImageItAsksForOneAndCallsNoTool() throws Exception {
    ObjectNode r = service.prepare(request("Find this picture"), null).await();
    assertEquals("completed", r.get("status").asText());
    assertEquals(1, r.get("output").size());
    assertEquals("message", r.get("output").get(0).get("type").asText());
    assertTrue(r.get("output").get(0).get("content").get(0).get("text").asText().startsWith("Please send an image"));
    assertFalse(r.get("usage").has("x_tools"));
  }

  @Test
  void maxToolCallsZeroAndToolChoiceNoneMakeNoCall() throws Exception {
    for (ObjectNode body : List.of(request("Find", queryUrl).put("max_tool_calls", 0),
        request("Find", queryUrl).put("tool_choice", "none"))) {
      ObjectNode r = service.prepare(body, null).await();
      assertEquals(1, r.get("output").size(), r.toString());
      assertTrue(r.get("output").get(0).get("content").get(0).get("text").asText()
          .startsWith("I received 1 image but did not search"));
      assertFalse(r.get("usage").has("x_tools"));
    }
    ObjectNode capped = service.prepare(request("Find", queryUrl, queryUrl).put("max_tool_calls", 1), null).await();
    assertEquals(2, capped.get("output").size());
    assertTrue(capped.get("output").get(1).get("content").get(0).get("text").asText()
        .contains("I searched only the first 1 of 2 images (max_tool_calls)."));
  }

  @Test
  void maxOutputTokensEndsIncomplete() throws Exception {
    List<ResponseStreamEvent> events = stream(request("Find", queryUrl).put("max_output_tokens", 5));
    ResponseStreamEvent last = events.getLast();
    assertEquals("response.incomplete", last.type());
    JsonNode r = last.data().get("response");
    assertEquals("incomplete", r.get("status").asText());
    assertEquals("{\"reason\":\"max_output_tokens\"}", r.get("incomplete_details").toString());
    assertEquals("incomplete", r.get("output").get(1).get("status").asText());
    assertEquals(5, r.get("usage").get("output_tokens").asInt());
  }

  @Test
  void aThreeTurnChainStoresItsImageOnce() throws Exception {
    ObjectNode first = service.prepare(request("Find copies", queryUrl), null).await();
    ObjectNode second = service.prepare(request("This one again", queryUrl)
        .put("previous_response_id", first.get("id").asText()), null).await();
    ObjectNode third = service.prepare(request("And in Japanese?")
        .put("previous_response_id", second.get("id").asText()), null).await();
    String ids = "'" + first.get("id").asText() + "','" + second.get("id").asText() + "','" + third.get("id").asText() + "'";
    byte[] image = Base64.getDecoder().decode(queryUrl.substring(queryUrl.indexOf(',') + 1));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
            "jdbc:sqlite:" + dir.resolve("data").resolve(ResponseStore.FILE_NAME));
        java.sql.Statement s = c.createStatement()) {
      java.sql.ResultSet links = s.executeQuery(
          "SELECT count(*), count(DISTINCT hash) FROM response_images WHERE response_id IN (" + ids + ")");
      assertEquals(3, links.getLong(1));
      assertEquals(1, links.getLong(2));
      java.sql.ResultSet stored = s.executeQuery("SELECT length(data) FROM images WHERE hash IN"
          + " (SELECT hash FROM response_images WHERE response_id IN (" + ids + "))");
      assertEquals(image.length, stored.getLong(1));
      java.sql.ResultSet documents = s.executeQuery(
          "SELECT max(bytes) FROM responses WHERE id IN (" + ids + ")");
      assertTrue(documents.getLong(1) < image.length, documents.getLong(1) + " bytes in one row");
    }
    assertEquals(second.toString(), service.retrieve(second.get("id").asText()).toString());
    assertEquals(queryUrl, service.inputItems(second.get("id").asText(), "asc").get("data").get(0)
        .get("content").get(1).get("image_url").asText());
    // The follow-up saw both images of the earlier turns, as before.
    assertTrue(third.get("usage").get("input_tokens").asInt() > second.get("usage").get("input_tokens").asInt());
  }

  @Test
  void storeRoundTripAndPreviousResponse() throws Exception {
    ObjectNode first = service.prepare(request("Find copies", queryUrl).put("instructions", "Be brief."), null).await();
    String id = first.get("id").asText();
    assertEquals(first.toString(), service.retrieve(id).toString());
    ObjectNode items = service.inputItems(id, "asc");
    assertEquals("list", items.get("object").asText());
    assertEquals(1, items.get("data").size());
    assertEquals("message", items.get("data").get(0).get("type").asText());
    assertTrue(items.get("data").get(0).get("id").asText().startsWith("msg_"));
    assertEquals(items.get("data").get(0).get("id").asText(), items.get("first_id").asText());

    ObjectNode second = service.prepare(request("And in Japanese?").put("previous_response_id", id), null).await();
    assertEquals(id, second.get("previous_response_id").asText());
    // The earlier turn (image, results, answer) counts as input of the follow-up.
    assertTrue(second.get("usage").get("input_tokens").asInt() > first.get("usage").get("input_tokens").asInt(),
        first.get("usage") + " vs " + second.get("usage"));

    assertEquals("{\"id\":\"" + id + "\",\"object\":\"response.deleted\",\"deleted\":true}", service.delete(id).toString());
    ApiException gone = assertThrows(ApiException.class, () -> service.retrieve(id));
    assertEquals(404, gone.status());
    assertEquals("not_found", gone.code());
    assertEquals("No response found with id '" + id + "'.", gone.getMessage());
    ApiException previous = assertThrows(ApiException.class,
        () -> service.prepare(request("x").put("previous_response_id", id), null));
    assertEquals(400, previous.status());
    assertEquals("previous_response_id", previous.param());
    assertEquals("previous_response_not_found", previous.code());
    assertEquals("Previous response with id '" + id + "' not found.", previous.getMessage());
  }

  @Test
  void storeFalseKeepsNothing() throws Exception {
    ObjectNode r = service.prepare(request("Find").put("store", false), null).await();
    assertFalse(r.get("store").asBoolean());
    assertEquals(404, assertThrows(ApiException.class, () -> service.retrieve(r.get("id").asText())).status());
  }

  @Test
  void unknownModelIs404() {
    ResponsesService picky = new ResponsesService(name -> Optional.empty(),
        new ImageSearchTool(new LoupeSearchBackend(loupe), 10, id -> id), null, ResponsesConfig.defaults(), Clock.systemUTC());
    ApiException e = assertThrows(ApiException.class, () -> picky.prepare(request("x"), null));
    assertEquals(404, e.status());
    assertEquals("model_not_found", e.code());
    assertEquals("The model 'qwen3.7-plus' does not exist or you do not have access to it.", e.getMessage());
    picky.close();
  }

  @Test
  void aBackendFailureMidStreamIsOneFinalFailedEvent() throws Exception {
    ModelBackend failing = TestBackends.searchOnly((request, context) -> {
      context.emit(new RunEvent.MessageStarted("msg_0123456789abcdef01234567"));
      context.emit(new RunEvent.TextDelta("msg_0123456789abcdef01234567", "Half an"));
      throw new IllegalStateException("upstream model closed the connection");
    });
    try (ResponsesService s = new ResponsesService(ModelCatalog.serving(failing),
        new ImageSearchTool(new LoupeSearchBackend(loupe), 10, id -> id), store, ResponsesConfig.defaults(), Clock.systemUTC())) {
      List<ResponseStreamEvent> events = new ArrayList<>();
      ResponseCall call = s.prepare(request("x"), null);
      call.stream(new EventSink() {
        @Override
        public void event(ResponseStreamEvent e) {
          events.add(e);
        }

        @Override
        public void comment(String text) { }
      });
      assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
          "response.content_part.added", "response.output_text.delta", "response.failed"),
          events.stream().map(ResponseStreamEvent::type).toList());
      JsonNode r = events.getLast().data().get("response");
      assertEquals("failed", r.get("status").asText());
      assertEquals("{\"code\":\"server_error\",\"message\":\"The server had an error while processing the response.\"}", r.get("error").toString());
      assertEquals(0, r.get("output").size(), "the unfinished message is not part of a failed response");
      assertEquals(404, assertThrows(ApiException.class, () -> s.retrieve(call.responseId())).status(), "failed: not stored");
    }
  }

  @Test
  void reasoningIsCountedNotShownAndClientFunctionCallsAreFunctionCallItems() throws Exception {
    ModelBackend caller = TestBackends.searchOnly((request, context) -> {
      context.emit(new RunEvent.ReasoningDelta("The user wants the weather."));
      context.emit(new RunEvent.FunctionCallRequested(
          new dev.loupe.runs.FunctionCall("call_w", "weather", "{\"city\":\"Paris\"}")));
      context.emit(new RunEvent.UsageReported(new dev.loupe.runs.Usage(20, 0, 9, 6, java.util.Map.of())));
      return Finish.COMPLETED;
    });
    try (ResponsesService s = new ResponsesService(ModelCatalog.serving(caller),
        new ImageSearchTool(new LoupeSearchBackend(loupe), 10, id -> id), store, ResponsesConfig.defaults(), Clock.systemUTC())) {
      JsonNode r = s.prepare(request("x"), null).await();
      assertEquals("completed", r.get("status").asText());
      assertEquals(1, r.get("output").size(), "no reasoning item: " + r.get("output"));
      JsonNode call = r.get("output").get(0);
      assertEquals("function_call", call.get("type").asText());
      assertEquals("call_w", call.get("call_id").asText());
      assertEquals("weather", call.get("name").asText());
      assertEquals("{\"city\":\"Paris\"}", call.get("arguments").asText());
      assertEquals(6, r.get("usage").get("output_tokens_details").get("reasoning_tokens").asInt());
    }
  }

  @Test
  void anEarlierTurnsImageCostsInTheHistoryWhatItCostInItsOwnTurn() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ModelBackend recorder = TestBackends.searchOnly((request, context) -> {
      for (List<dev.loupe.runs.ConversationItem> items : List.of(request.history(), request.input())) {
        for (dev.loupe.runs.ConversationItem item : items) {
          if (item instanceof dev.loupe.runs.Message m) {
            m.images().forEach(image -> seen.add((items == request.history() ? "history " : "input ") + image.tokens()));
          }
        }
      }
      context.emit(new RunEvent.UsageReported(new dev.loupe.runs.Usage(1, 0, 0, 0, java.util.Map.of())));
      return Finish.COMPLETED;
    });
    try (ResponsesService s = new ResponsesService(ModelCatalog.serving(recorder),
        new ImageSearchTool(new LoupeSearchBackend(loupe), 10, id -> id), store, ResponsesConfig.defaults(), Clock.systemUTC())) {
      String first = s.prepare(request("Find it", queryUrl), null).await().get("id").asText();
      String second = s.prepare(request("And now?").put("previous_response_id", first), null).await().get("id").asText();
      s.prepare(request("Once more?").put("previous_response_id", second), null).await();
      assertEquals(3, seen.size(), seen.toString());
      int tokens = Integer.parseInt(seen.get(0).substring("input ".length()));
      assertTrue(tokens > 0 && tokens != dev.loupe.runs.TokenCounter.IMAGE_TOKENS, seen.toString());
      assertEquals(List.of("input " + tokens, "history " + tokens, "history " + tokens), seen,
          "the same count two turns later");
      JsonNode items = s.inputItems(first, null).get("data");
      assertFalse(items.toString().contains(ConversationItems.STORED_TOKENS), "input_items shows what the client sent");
    }
  }

  @Test
  void badInlineImagesAreHttpErrorsBeforeAnyEvent() {
    String tiny = dataUrl(new BufferedImage(8, 240, BufferedImage.TYPE_3BYTE_BGR));
    ApiException small = assertThrows(ApiException.class, () -> service.prepare(request("Find", queryUrl, tiny), "enable"));
    assertEquals(400, small.status());
    assertEquals("image_too_small", small.code());
    assertEquals("input[0].content[2].image_url", small.param());
    ApiException base64 = assertThrows(ApiException.class,
        () -> service.prepare(request("Find", "data:image/png;base64,@@@@"), null));
    assertEquals("invalid_image", base64.code());
    assertTrue(base64.getMessage().contains("invalid base64"), base64.getMessage());
  }

  @Test
  void aRefusedImageAddressIsA400BeforeAnythingRuns() throws Exception {
    // Loopback is refused by the default fetch policy: the URL is not one this server fetches. The
    // image is read when the call is prepared, so the caller gets an HTTP error, not a failed
    // response with no usage (contract 2.5, 8.3).
    ApiException e = assertThrows(ApiException.class, () -> service.prepare(request("Find", "http://127.0.0.1:9/none.jpg"), null));
    assertEquals(400, e.status());
    assertEquals("invalid_image_url", e.code());
    assertEquals("input[0].content[1].image_url", e.param());
    assertTrue(e.getMessage().startsWith("http://127.0.0.1:9/none.jpg: address 127.0.0.1 is loopback"), e.getMessage());
  }

  @Test
  void anImageWhosePixelsAreCorruptFailsTheRunAfterItStarted() throws Exception {
    // Its header is sound, so it passes the check before the run; decoding it for the search fails.
    ObjectNode r = service.prepare(request("Find", corruptPixelsDataUrl()), null).await();
    assertEquals("failed", r.get("status").asText(), r.toString());
    assertEquals("image_parse_error", r.get("error").get("code").asText(), r.toString());
  }

  /** A PNG data URL with a sound header whose compressed pixel data is garbage. */
  static String corruptPixelsDataUrl() {
    return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(TestImages.corruptPixelsPng());
  }

  @Test
  void heartbeatsAreCommentsBetweenEvents() throws Exception {
    ModelBackend slow = TestBackends.searchOnly((request, context) -> {
      Thread.sleep(250);
      context.emit(new RunEvent.UsageReported(new dev.loupe.runs.Usage(1, 0, 0, 0, Map.of())));
      return Finish.COMPLETED;
    });
    try (ResponsesService s = new ResponsesService(ModelCatalog.serving(slow),
        new ImageSearchTool(new LoupeSearchBackend(loupe), 10, id -> id), null,
        new ResponsesConfig(Duration.ofMillis(50)), Clock.systemUTC())) {
      StringBuilder wire = new StringBuilder();
      s.prepare(request("x"), null).stream(new EventSink() {
        @Override
        public void event(ResponseStreamEvent e) {
          wire.append(new String(SseFraming.event(e), StandardCharsets.UTF_8));
        }

        @Override
        public void comment(String text) {
          wire.append(new String(SseFraming.comment(text), StandardCharsets.UTF_8));
        }
      });
      String all = wire.toString();
      int created = all.indexOf("event: response.created\n");
      int beat = all.indexOf(": keep-alive\n\n", created);
      int completed = all.indexOf("event: response.completed\n");
      assertTrue(created >= 0 && beat > created && completed > beat, all);
    }
  }
}
