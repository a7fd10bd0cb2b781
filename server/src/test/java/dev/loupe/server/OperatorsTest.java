package dev.loupe.server;

import static dev.loupe.server.ServerTestSupport.JSON;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.postJson;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.server.chat.ChatCompletionsRoutes;
import dev.loupe.server.dashscope.DashScopeRoutes;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.server.responses.ResponsesRoutes;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The operators' routes through real HTTP: {@code /metrics} moves as requests are made, {@code /openapi.json} is the truth. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorsTest {
  private Loupe loupe;
  private ModelRoutes models;
  private ResponsesRoutes responses;
  private LoupeServer server;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    models = ModelRoutes.builtinOnly();
    AtomicReference<String> base = new AtomicReference<>();
    long max = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;
    responses = ResponsesRoutes.forEngine(loupe, models, base::get, max);
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe,
        List.of(responses, ChatCompletionsRoutes.forEngine(loupe, models, base::get, max),
            DashScopeRoutes.forEngine(loupe, models, base::get, max)), models.listedModels()).start();
    base.set("http://127.0.0.1:" + server.port());
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    responses.close();
    models.close();
    loupe.close();
  }

  @Test
  void metricsCountRequestsSearchesAndAdditionsExactly() throws Exception {
    String jpeg = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
        TestImages.encode(TestImages.scene(320, 240, 41), "jpeg"));
    Map<String, Double> before = scrape();
    HttpResponse<byte[]> added = postJson(server, "/v1/images", JSON.createObjectNode().put("image_url", jpeg)
        .put("title", "Harbour").toString());
    assertEquals(200, added.statusCode(), new String(added.body(), StandardCharsets.UTF_8));
    for (int i = 0; i < 2; i++) {
      assertEquals(200, postJson(server, "/v1/images/search", JSON.createObjectNode().put("image_url", jpeg)
          .toString()).statusCode());
    }
    assertEquals(400, postJson(server, "/v1/images/search", "{}").statusCode());
    assertEquals(404, get(server, "/v1/images/nope").statusCode());
    assertEquals(404, get(server, "/no/such/route").statusCode());
    Map<String, Double> after = scrape();

    assertEquals(1, delta(before, after, "loupe_http_requests_total{method=\"POST\",route=\"/v1/images\",status=\"200\"}"));
    assertEquals(2, delta(before, after,
        "loupe_http_requests_total{method=\"POST\",route=\"/v1/images/search\",status=\"200\"}"));
    assertEquals(1, delta(before, after,
        "loupe_http_requests_total{method=\"POST\",route=\"/v1/images/search\",status=\"400\"}"));
    assertEquals(1, delta(before, after,
        "loupe_http_requests_total{method=\"GET\",route=\"/v1/images/{id}\",status=\"404\"}"), "a template, not the id");
    assertEquals(1, delta(before, after, "loupe_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"));
    assertEquals(3, delta(before, after,
        "loupe_http_request_duration_seconds_count{method=\"POST\",route=\"/v1/images/search\"}"));
    assertEquals(2, delta(before, after, "loupe_searches_total{surface=\"rest\",tier=\"exact\"}"));
    assertEquals(2, delta(before, after, "loupe_search_hits_total{surface=\"rest\",tier=\"exact\"}"));
    assertEquals(1, delta(before, after, "loupe_images_added_total{outcome=\"new_image\"}"));
    assertEquals(loupe.index().stats().images(), after.get("loupe_index_images"));
    assertEquals(1.0, after.get("loupe_index_images"));
  }

  @Test
  void theOpenApiDocumentParsesAsThreeOneAndMatchesTheMountedRoutes() throws Exception {
    HttpResponse<byte[]> served = get(server, "/openapi.json");
    assertEquals(200, served.statusCode());
    String document = new String(served.body(), StandardCharsets.UTF_8);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, null);
    assertEquals(List.of(), parsed.getMessages() == null ? List.of() : parsed.getMessages());
    OpenAPI api = parsed.getOpenAPI();
    assertEquals("3.1.0", api.getOpenapi());

    // Every documented operation reaches a route of this server (never "Unknown route" nor 405).
    List<String> unreachable = new ArrayList<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      for (var operation : path.getValue().readOperationsMap().entrySet()) {
        PathItem.HttpMethod method = operation.getKey();
        if (operation.getValue().getExtensions() != null
            && "loupe serve".equals(operation.getValue().getExtensions().get("x-mounted-by"))) {
          continue; // mounted by the command line's serve (app module), checked by its own tests
        }
        String concrete = path.getKey().replace("{id}", "x").replace("{name}", "x.css");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, concrete));
        request = switch (method) {
          case POST -> request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
          case DELETE -> request.DELETE();
          default -> request.GET();
        };
        HttpResponse<byte[]> answer = send(request);
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        if (answer.statusCode() == 405 || body.contains("Unknown route")) {
          unreachable.add(method + " " + path.getKey() + " -> " + answer.statusCode() + " " + body);
        }
      }
    }
    assertEquals(List.of(), unreachable);

    // Every route the code mounts is documented (relative protocol routes under /v1).
    Set<String> documented = new TreeSet<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
        .forEach(method -> documented.add(method + " " + path)));
    Set<String> missing = new TreeSet<>();
    for (String route : routesInCode()) {
      if (!documented.contains(route)) {
        missing.add(route);
      }
    }
    assertEquals(Set.of(), missing, "routes in the code that /openapi.json does not describe");
    assertFalse(documented.isEmpty());
  }

  /** {@code "METHOD /path"} for every {@code rules.get/post/delete("/...")} in the server's routes. */
  private static Set<String> routesInCode() throws Exception {
    Pattern route = Pattern.compile("\\.(get|post|delete|put)\\(\"(/[^\"]*)\"");
    Pattern constant = Pattern.compile("\\.(get|post|delete|put)\\(([A-Z_]+_PATH)\\b");
    Pattern constantValue = Pattern.compile("([A-Z_]+_PATH) = \"(/[^\"]*)\"");
    Set<String> routes = new TreeSet<>();
    try (var files = Files.walk(Path.of("src/main/java/dev/loupe/server"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String code = Files.readString(file);
        Matcher values = constantValue.matcher(code);
        Map<String, String> constants = new java.util.HashMap<>();
        while (values.find()) {
          constants.put(values.group(1), values.group(2));
        }
        // Protocol routes are relative to each prefix LoupeServer mounts them under; /v1 stands for all.
        boolean relative = file.toString().contains("/server/responses/") || file.toString().contains("/server/chat/");
        Matcher m = route.matcher(code);
        while (m.find()) {
          routes.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + " " + (relative ? "/v1" : "") + m.group(2));
        }
        Matcher c = constant.matcher(code);
        while (c.find()) {
          routes.add(c.group(1).toUpperCase(java.util.Locale.ROOT) + " " + constants.get(c.group(2)));
        }
        if (file.getFileName().toString().equals("WebRoutes.java")) {
          Matcher pages = Pattern.compile("\"(/[a-z]*)\", \"[a-z]+\\.html\"").matcher(code);
          while (pages.find()) {
            routes.add("GET " + pages.group(1));
          }
        }
      }
    }
    assertTrue(routes.size() > 20, routes.toString());
    return routes;
  }

  private Map<String, Double> scrape() throws Exception {
    HttpResponse<byte[]> response = get(server, "/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    Map<String, Double> values = new java.util.HashMap<>();
    for (String line : new String(response.body(), StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return values;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
    assertTrue(after.containsKey(series), series + " is not in " + new TreeSet<>(after.keySet()));
    return after.get(series) - before.getOrDefault(series, 0.0);
  }
}
