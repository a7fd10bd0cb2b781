package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static dev.loupe.server.ServerTestSupport.postMultipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.embed.TinyModels;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.tools.ImageSearchArguments;
import dev.loupe.tools.ImageSearchResult;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.tools.LoupeSearchBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text and hybrid queries on {@code POST /v1/images/search} and through the {@code image_search}
 * tool, with the tiny colour model in a real ONNX Runtime session behind a real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingRoutesTest {
  Path dir;
  Loupe withModel;
  Loupe without;
  LoupeServer server;
  LoupeServer plainServer;

  @BeforeAll
  void start(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    Path photos = TinyModels.colourPictures(dir.resolve("photos"), 3);
    withModel = Loupe.open(LoupeConfig.defaults(dir.resolve("data")), TinyModels.colour());
    withModel.ingestor().run(DirectorySource.scan(photos), p -> { });
    server = new LoupeServer(ServerConfig.defaults().withPort(0), withModel, List.of()).start();
    without = Loupe.open(LoupeConfig.defaults(dir.resolve("plain")));
    plainServer = new LoupeServer(ServerConfig.defaults().withPort(0), without, List.of()).start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    plainServer.stop();
    withModel.close();
    without.close();
  }

  private static List<String> titles(JsonNode results) {
    List<String> titles = new ArrayList<>();
    results.forEach(hit -> titles.add(hit.get("title").asText()));
    return titles;
  }

  @Test
  void textAloneFindsTheRedPictures() throws Exception {
    var response = postJson(server, "/v1/images/search", "{\"text\": \"red\"}");
    assertEquals(200, response.statusCode(), new String(response.body()));
    JsonNode results = json(response).get("results");
    assertEquals(List.of("red-0", "red-1", "red-2"), titles(results).stream().sorted().toList());
    results.forEach(hit -> assertEquals("similar", hit.get("match").asText()));
    // the same as a multipart form field
    var form = postMultipart(server, "/v1/images/search", Map.of("text", "blue"), null);
    assertEquals(List.of("blue-0", "blue-1", "blue-2"), titles(json(form).get("results")).stream().sorted().toList());
  }

  @Test
  void imageAndTextTogether() throws Exception {
    byte[] red = Files.readAllBytes(dir.resolve("photos/red-1.png"));
    String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(red);
    var response = postJson(server, "/v1/images/search",
        "{\"image_url\": \"" + url + "\", \"text\": \"green\", \"top_k\": 5}");
    assertEquals(200, response.statusCode(), new String(response.body()));
    List<String> titles = titles(json(response).get("results"));
    assertEquals("red-1", titles.getFirst());
    assertEquals("exact", json(response).get("results").get(0).get("match").asText());
    assertTrue(titles.stream().noneMatch(t -> t.startsWith("blue")), titles.toString());
    assertTrue(titles.stream().anyMatch(t -> t.startsWith("green")), titles.toString());
  }

  @Test
  void textWithoutAModelIs400NamingTheSetting() throws Exception {
    var response = postJson(plainServer, "/v1/images/search", "{\"text\": \"red\"}");
    assertEquals("text queries need an embedding model with a text tower, and none is set: set --model DIR (or "
        + "LOUPE_MODEL=DIR) to a model directory that has textual/model.onnx",
        assertError(response, 400, "model_required", "text"));
  }

  @Test
  void neitherImageNorTextIsStillAMissingImage() throws Exception {
    var response = postJson(server, "/v1/images/search", "{\"text\": \"  \"}");
    assertEquals("Missing image: Send image_url (an http(s) or data URL), or upload the file as multipart/form-data.",
        assertError(response, 400, "missing_required_parameter", "image_url"));
  }

  @Test
  void theToolPassesTheUsersWordsToTheRanking() throws Exception {
    ImageSearchTool tool = new ImageSearchTool(new LoupeSearchBackend(withModel), 10, id -> "/v1/images/" + id);
    byte[] red = Files.readAllBytes(dir.resolve("photos/red-2.png"));
    String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(red);
    ImageSearchResult plain = tool.run(ImageSearchArguments.ofUrl(url, null, 5));
    ImageSearchResult steered = tool.run(ImageSearchArguments.ofUrl(url, "find pictures like this but blue", 5));
    List<String> plainTitles = plain.hits().stream().map(h -> h.title()).toList();
    List<String> steeredTitles = steered.hits().stream().map(h -> h.title()).toList();
    assertEquals("red-2", plainTitles.getFirst());
    assertEquals("red-2", steeredTitles.getFirst());
    assertTrue(plainTitles.stream().noneMatch(t -> t.startsWith("blue")), plainTitles.toString());
    assertTrue(steeredTitles.stream().anyMatch(t -> t.startsWith("blue")), steeredTitles.toString());
  }
}
