package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.JSON;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.embed.TinyModels;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.server.responses.ResponsesRoutes;
import java.awt.Color;
import java.nio.file.Path;
import java.time.Instant;
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
 * The builtin model's follow-up turns through the Responses API on live servers: a first turn
 * searches an image, a second turn with {@code previous_response_id} and words only is answered from
 * that search's hits. One server has the tiny colour model (a real ONNX Runtime session with a text
 * tower), one has no model; both index the same nine pictures with known first sightings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuiltinFollowUpTest {
  /** Title, main colour, first sighting. Red and its neighbours (magenta, yellow) come back as similar to red. */
  private static final List<Object[]> PICTURES = List.of(
      new Object[] {"red-0", Color.RED, "2019-04-01"},
      new Object[] {"red-1", Color.RED, "2021-06-15"},
      new Object[] {"red-2", Color.RED, "2020-02-02"},
      new Object[] {"magenta-0", Color.MAGENTA, "2015-09-30"},
      new Object[] {"magenta-1", Color.MAGENTA, "2022-01-01"},
      new Object[] {"yellow-0", Color.YELLOW, "2018-03-03"},
      new Object[] {"yellow-1", Color.YELLOW, "2023-07-07"},
      new Object[] {"green-0", Color.GREEN, "2012-01-01"},
      new Object[] {"blue-0", Color.BLUE, "2013-01-01"});

  private final List<AutoCloseable> open = new ArrayList<>();
  private LoupeServer withModel;
  private LoupeServer without;
  private String redQuery;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    withModel = serve(Loupe.open(LoupeConfig.defaults(dir.resolve("model-data")), TinyModels.colour()));
    without = serve(Loupe.open(LoupeConfig.defaults(dir.resolve("plain-data"))));
    redQuery = "data:image/png;base64," + Base64.getEncoder().encodeToString(picture(1, Color.RED));
  }

  private static byte[] picture(int i, Color colour) {
    Color[] blocks = {Color.WHITE, Color.BLACK, Color.GRAY};
    return TestImages.encode(TinyModels.picture(colour, blocks[i % 3], 120 + 7 * i, 90 + 5 * i), "png");
  }

  private LoupeServer serve(Loupe loupe) throws Exception {
    open.add(loupe);
    for (int i = 0; i < PICTURES.size(); i++) {
      Object[] p = PICTURES.get(i);
      loupe.ingestor().add(picture(i % 3, (Color) p[1]), new ImageRecord("https://photos.example/" + p[0] + ".png",
          (String) p[0], "https://photos.example/gallery/" + p[0], Instant.parse(p[2] + "T12:00:00Z")));
    }
    loupe.index().commit();
    loupe.embeddings().ifPresent(e -> {
      try {
        e.commit();
      } catch (java.io.IOException x) {
        throw new java.io.UncheckedIOException(x);
      }
    });
    AtomicReference<String> base = new AtomicReference<>();
    ResponsesRoutes responses = ResponsesRoutes.forEngine(loupe, base::get, ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
    open.add(responses);
    LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of(responses)).start();
    base.set("http://127.0.0.1:" + server.port());
    return server;
  }

  @AfterAll
  void stop() throws Exception {
    for (LoupeServer s : List.of(withModel, without)) {
      s.stop();
    }
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  /** Posts one turn: words, an optional image, and the previous response's id when there is one. */
  private static JsonNode turn(LoupeServer server, String text, String imageUrl, String previous) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("model", "builtin");
    if (previous != null) {
      body.put("previous_response_id", previous);
    }
    ArrayNode content = body.putArray("input").addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "input_text").put("text", text);
    if (imageUrl != null) {
      content.addObject().put("type", "input_image").put("image_url", imageUrl);
    }
    body.putArray("tools").addObject().put("type", "image_search");
    var response = postJson(server, "/v1/responses", JSON.writeValueAsString(body));
    assertEquals(200, response.statusCode(), new String(response.body()));
    return json(response);
  }

  private static String answer(JsonNode response) {
    StringBuilder text = new StringBuilder();
    for (JsonNode item : response.get("output")) {
      if (item.get("type").asText().equals("message")) {
        item.get("content").forEach(c -> text.append(c.get("text").asText()));
      }
    }
    return text.toString();
  }

  /** The hits of the turn's image_search call: title to first_seen, in order. */
  private static JsonNode hits(JsonNode response) throws Exception {
    for (JsonNode item : response.get("output")) {
      if (item.get("type").asText().equals("image_search_call")) {
        return JSON.readTree(item.get("output").asText());
      }
    }
    throw new AssertionError("no image_search_call in " + response);
  }

  private static List<String> titles(JsonNode hits) {
    List<String> titles = new ArrayList<>();
    hits.forEach(h -> titles.add(h.get("title").asText()));
    return titles;
  }

  @Test
  void whichIsTheOldestIsAnsweredFromTheEarlierHitsProvenance() throws Exception {
    JsonNode first = turn(withModel, "Where else does this appear?", redQuery, null);
    List<String> found = titles(hits(first));
    assertTrue(found.containsAll(List.of("red-1", "magenta-0", "yellow-0")), found.toString());
    assertTrue(!found.contains("green-0") && !found.contains("blue-0"), found.toString());
    JsonNode second = turn(withModel, "Which of those is the oldest?", null, first.get("id").asText());
    int index = found.indexOf("magenta-0") + 1;
    assertEquals("Of the " + found.size() + " earlier results, the oldest is \"magenta-0\" (result " + index
        + "): first seen on 2015-09-30 at https://photos.example/gallery/magenta-0.", answer(second));
    assertEquals(0, second.get("output").findValues("type").stream()
        .filter(t -> t.asText().equals("image_search_call")).count(), "no new search");
    JsonNode newest = turn(withModel, "and the newest?", null, first.get("id").asText());
    assertTrue(answer(newest).startsWith("Of the " + found.size() + " earlier results, the newest is \""),
        answer(newest));
  }

  @Test
  void whichAreRedNamesTheRedPicturesByTextToImageSimilarity() throws Exception {
    JsonNode first = turn(withModel, "Find pictures like this", redQuery, null);
    assertTrue(answer(first).contains("Your words (\"Find pictures like this\") steered the order of the similar "
        + "pictures; copies of your image come first regardless."), answer(first));
    List<String> found = titles(hits(first));
    JsonNode second = turn(withModel, "Which are red?", null, first.get("id").asText());
    String text = answer(second);
    String firstLine = text.lines().findFirst().orElseThrow();
    assertTrue(firstLine.startsWith("Of the " + found.size() + " earlier results, these match \"red\" best: "), text);
    List<String> named = List.of(firstLine.substring(firstLine.indexOf("best: ") + 6, firstLine.length() - 1)
        .split(", "));
    assertEquals(List.of("red-0", "red-1", "red-2"), named.stream().sorted().toList(), text);
    assertEquals(found.size() + 2, text.lines().count(), "the whole ranking follows: " + text);

    JsonNode yellow = turn(withModel, "which of those are yellow?", null, first.get("id").asText());
    String yellowLine = answer(yellow).lines().findFirst().orElseThrow();
    assertEquals("Of the " + found.size() + " earlier results, these match \"yellow\" best: ", 
        yellowLine.substring(0, yellowLine.indexOf("best: ") + 6));
    assertEquals(List.of("yellow-0", "yellow-1"), List.of(yellowLine.substring(yellowLine.indexOf("best: ") + 6,
        yellowLine.length() - 1).split(", ")).stream().sorted().toList());
  }

  @Test
  void withoutAModelItSaysWhatItCannotAnswer() throws Exception {
    JsonNode first = turn(without, "Find pictures like this", redQuery, null);
    assertTrue(!answer(first).contains("Your words"), "no model, no steering: " + answer(first));
    JsonNode hits = hits(first);
    JsonNode second = turn(without, "which are red?", null, first.get("id").asText());
    assertEquals("I cannot tell which of the " + hits.size() + " earlier results match your words: matching pictures "
        + "to words needs an embedding model with a text tower, and this server has none (start it with --model DIR, "
        + "or LOUPE_MODEL=DIR, pointing to a model directory that has textual/model.onnx). Without one I can say "
        + "which of them was seen first or last.", answer(second));
    // Provenance needs no model: the oldest of whatever the classical tier found.
    JsonNode oldest = null;
    for (JsonNode h : hits) {
      if (oldest == null || Instant.parse(h.get("first_seen").asText())
          .isBefore(Instant.parse(oldest.get("first_seen").asText()))) {
        oldest = h;
      }
    }
    JsonNode third = turn(without, "Which one is the oldest?", null, first.get("id").asText());
    assertEquals("Of the " + hits.size() + " earlier results, the oldest is \"" + oldest.get("title").asText()
        + "\" (result " + oldest.get("index").asInt() + "): first seen on "
        + oldest.get("first_seen").asText().substring(0, 10) + " at " + oldest.get("page_url").asText() + ".",
        answer(third));
  }

  @Test
  void wordsWithoutAnyEarlierSearchStillAskForAnImage() throws Exception {
    JsonNode only = turn(without, "which are red?", null, null);
    assertEquals("Please send an image (an input_image with an http(s) or data URL) and I will search the "
        + "collection for copies of it and for similar pictures.", answer(only));
  }
}
