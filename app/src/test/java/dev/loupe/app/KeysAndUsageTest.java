package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.server.LoupeServer;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.server.responses.ResponsesRoutes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loupe keys} against a running server on the same data directory: a key added is accepted
 * and one revoked refused, without a restart; {@code GET /v1/usage} adds up what the model API
 * answered in its {@code usage}.
 */
class KeysAndUsageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void keysTakeEffectWithoutARestartAndUsageAddsUp() throws Exception {
    Path data = dir.resolve("data");
    byte[] jpeg = TestImages.encode(TestImages.scene(400, 300, 5), "jpeg");
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      loupe.ingestor().add(jpeg, new ImageRecord("https://photos.example/a.jpg", "Harbour", null, null));
      loupe.index().commit();
      ModelRoutes models = ModelRoutes.builtinOnly();
      AtomicReference<String> base = new AtomicReference<>();
      ResponsesRoutes responses = ResponsesRoutes.forEngine(loupe, models, base::get,
          ServerConfig.DEFAULT_MAX_REQUEST_BYTES);
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of(responses),
          models.listedModels()).start();
      base.set("http://127.0.0.1:" + server.port());
      try {
        // No key yet: the server is open, and its caller is anonymous.
        assertEquals("anonymous", JSON.readTree(get(base.get() + "/v1/usage", null).body()).get("key").asText());

        String[] added = run("keys", "add", "ci-bot", "--data", data.toString());
        assertEquals("0", added[0], added[2]);
        String key = added[1].strip();
        assertTrue(key.startsWith("lk_") && key.length() > 40, key);
        assertEquals("1", run("keys", "add", "ci-bot", "--data", data.toString())[0], "a name is used once");
        String[] unused = run("keys", "list", "--data", data.toString());
        assertTrue(unused[1].lines().anyMatch(l -> l.startsWith("ci-bot ") && l.endsWith("never")), unused[1]);
        Thread.sleep(1_200); // the server's one-second cache of the key store

        assertEquals(401, get(base.get() + "/v1/stats", null).statusCode(), "keys exist now: anonymous is refused");
        assertEquals(401, get(base.get() + "/v1/stats", "lk_wrong").statusCode());
        assertEquals(200, get(base.get() + "/v1/stats", key).statusCode());

        String image = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
        long input = 0;
        long output = 0;
        long calls = 0;
        for (String text : List.of("Where else is this?", "Find copies, please.")) {
          JsonNode response = JSON.readTree(post(base.get() + "/v1/responses", key, responsesBody(text, image)).body());
          input += response.get("usage").get("input_tokens").asLong();
          output += response.get("usage").get("output_tokens").asLong();
          for (JsonNode item : response.get("output")) {
            calls += item.get("type").asText().equals("image_search_call") ? 1 : 0;
          }
        }
        assertEquals(200, post(base.get() + "/v1/images/search", key,
            JSON.createObjectNode().put("image_url", image).toString()).statusCode());
        JsonNode usage = JSON.readTree(get(base.get() + "/v1/usage", key).body());
        assertEquals("ci-bot", usage.get("key").asText());
        assertEquals(input, usage.get("input_tokens").asLong());
        assertEquals(output, usage.get("output_tokens").asLong());
        assertEquals(calls, usage.get("image_search_calls").asLong());
        assertEquals(2, calls);
        assertEquals(1, usage.get("searches").asLong());
        assertEquals(0, usage.get("images_added").asLong());

        String[] listed = run("keys", "list", "--data", data.toString());
        assertTrue(listed[1].lines().anyMatch(l -> l.startsWith("ci-bot ") && !l.endsWith("never")), listed[1]);
        assertTrue(!listed[1].contains(key), "the key is never shown again");

        assertEquals("0", run("keys", "revoke", "ci-bot", "--data", data.toString())[0]);
        String[] unknown = run("keys", "revoke", "ci-bot", "--data", data.toString());
        assertEquals("1", unknown[0]);
        assertTrue(unknown[2].contains("no key is named 'ci-bot'"), unknown[2]);
        Thread.sleep(1_200);
        assertEquals(401, get(base.get() + "/v1/stats", key).statusCode(), "revoked without a restart");
      } finally {
        server.stop();
        responses.close();
        models.close();
      }
    }
  }

  private static String responsesBody(String text, String image) {
    var body = JSON.createObjectNode().put("model", "builtin");
    body.putArray("tools").addObject().put("type", "image_search");
    var content = body.putArray("input").addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "input_text").put("text", text);
    content.addObject().put("type", "input_image").put("image_url", image);
    return body.toString();
  }

  private static HttpResponse<String> get(String url, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String url, String key, String json) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r;
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }
}
