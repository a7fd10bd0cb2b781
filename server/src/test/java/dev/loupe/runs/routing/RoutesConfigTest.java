package dev.loupe.runs.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.runs.BuiltinModel;
import dev.loupe.runs.upstream.UpstreamModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model routing: globs, order, the file format and the environment variables. */
class RoutesConfigTest {
  private static final String FILE = """
      {"routes": [
        {"model": "qwen*", "backend": "openai-compatible", "base_url": "http://127.0.0.1:8000/v1",
         "api_key_env": "VLLM_KEY", "upstream_model": "Qwen/Qwen2.5-VL-7B-Instruct", "timeout_seconds": 30,
         "max_retries": 1},
        {"model": "gpt-4o?mini", "backend": "openai-compatible", "base_url": "https://api.example.org/v1",
         "api_key": "sk-x"},
        {"model": "builtin", "backend": "builtin"}
      ]}""";

  @Test
  void nothingConfiguredRoutesEveryNameToTheBuiltinModel() throws Exception {
    try (ModelRoutes routes = RoutesConfig.of(null, null, Map.of())) {
      assertInstanceOf(BuiltinModel.class, routes.find("qwen3.7-plus").orElseThrow());
      assertInstanceOf(BuiltinModel.class, routes.find("anything").orElseThrow());
      assertEquals(List.of("builtin"), routes.listedModels());
    }
  }

  @Test
  void theFirstMatchingGlobWinsAndUnmatchedNamesAreUnknown() throws Exception {
    try (ModelRoutes routes = RoutesConfig.of(FILE, "models.json", Map.of("VLLM_KEY", "sk-vllm"))) {
      UpstreamModel qwen = (UpstreamModel) routes.find("Qwen2.5-VL-7B").orElseThrow();
      assertEquals("sk-vllm", qwen.config().apiKey());
      assertEquals("Qwen/Qwen2.5-VL-7B-Instruct", qwen.config().upstreamModel());
      assertEquals(Duration.ofSeconds(30), qwen.config().timeout());
      assertEquals(1, qwen.config().maxRetries());
      UpstreamModel gpt = (UpstreamModel) routes.find("gpt-4o-mini").orElseThrow();
      assertEquals("sk-x", gpt.config().apiKey());
      assertEquals(null, gpt.config().upstreamModel(), "the request's name is sent");
      assertTrue(routes.find("gpt-4o").isEmpty(), "? is exactly one character");
      assertInstanceOf(BuiltinModel.class, routes.find("builtin").orElseThrow());
      assertTrue(routes.find("llama3").isEmpty());
      assertEquals(List.of("qwen*", "gpt-4o?mini", "builtin"), routes.listedModels());
      assertTrue(!routes.toString().contains("sk-"), routes.toString());
    }
  }

  @Test
  void theEnvironmentRoutesItsGlobsToOneUpstreamAndKeepsTheBuiltinName() throws Exception {
    try (ModelRoutes routes = RoutesConfig.of(null, null, Map.of("LOUPE_UPSTREAM_URL", "http://127.0.0.1:11434/v1",
        "LOUPE_UPSTREAM_KEY", "ollama", "LOUPE_UPSTREAM_MODELS", "qwen*, llava*"))) {
      UpstreamModel qwen = (UpstreamModel) routes.find("qwen2.5vl:7b").orElseThrow();
      assertEquals("ollama", qwen.config().apiKey());
      assertEquals("http://127.0.0.1:11434/v1", qwen.config().baseUrl().toString());
      assertTrue(qwen == routes.find("llava:13b").orElseThrow(), "one client for all the globs");
      assertInstanceOf(BuiltinModel.class, routes.find("builtin").orElseThrow());
      assertTrue(routes.find("gpt-4o").isEmpty());
      assertEquals(List.of("qwen*", "llava*", "builtin"), routes.listedModels());
    }
    try (ModelRoutes all = RoutesConfig.of(null, null, Map.of("LOUPE_UPSTREAM_URL", "http://127.0.0.1:8000/v1"))) {
      assertInstanceOf(UpstreamModel.class, all.find("anything").orElseThrow(), "default glob: *");
    }
  }

  @Test
  void theEnvironmentComesBeforeTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("models.json");
    Files.writeString(file, """
        {"routes": [{"model": "*", "backend": "builtin"}]}""");
    try (ModelRoutes routes = RoutesConfig.load(null, Map.of("LOUPE_MODELS", file.toString(),
        "LOUPE_UPSTREAM_URL", "http://127.0.0.1:8000/v1", "LOUPE_UPSTREAM_MODELS", "qwen*"))) {
      assertInstanceOf(UpstreamModel.class, routes.find("qwen-vl").orElseThrow());
      assertInstanceOf(BuiltinModel.class, routes.find("other").orElseThrow());
      assertEquals(List.of("qwen*", "builtin"), routes.listedModels());
    }
  }

  @Test
  void configurationMistakesNameTheRuleAndTheValue() {
    assertEquals("models.json: routes[0].backend must be 'builtin' or 'openai-compatible', got: 'vllm'",
        error("{\"routes\": [{\"model\": \"*\", \"backend\": \"vllm\"}]}", Map.of()));
    assertEquals("models.json: routes[0] needs 'base_url'",
        error("{\"routes\": [{\"model\": \"*\", \"backend\": \"openai-compatible\"}]}", Map.of()));
    assertEquals("models.json: routes[0]: api_key_env names NOPE, which is not set",
        error("{\"routes\": [{\"model\": \"*\", \"backend\": \"openai-compatible\", \"base_url\": \"http://h/v1\","
            + " \"api_key_env\": \"NOPE\"}]}", Map.of()));
    assertEquals("models.json: routes[0] has an unknown field 'baseurl'; known: [api_key, api_key_env, backend, "
        + "base_url, connect_timeout_seconds, max_retries, max_rounds, model, timeout_seconds, upstream_model, vision_family]",
        error("{\"routes\": [{\"model\": \"*\", \"backend\": \"builtin\", \"baseurl\": \"x\"}]}", Map.of()));
    assertEquals("models.json: routes[0].base_url must be an http(s) URL such as http://127.0.0.1:8000/v1, got: 'ftp://h'",
        error("{\"routes\": [{\"model\": \"*\", \"backend\": \"openai-compatible\", \"base_url\": \"ftp://h\"}]}", Map.of()));
    assertEquals("models.json has no routes: every model would be unknown", error("{\"routes\": []}", Map.of()));
    assertEquals("LOUPE_UPSTREAM_MODELS is set but LOUPE_UPSTREAM_URL is not",
        error(null, Map.of("LOUPE_UPSTREAM_MODELS", "qwen*")));
  }

  private static String error(String json, Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> RoutesConfig.of(json, "models.json", env)).getMessage();
  }

  @Test
  void visionFamilySetsThePatchFactorPerRoute() throws Exception {
    try (ModelRoutes routes = RoutesConfig.of("""
        {"routes": [
          {"model": "qwen2.5*", "backend": "openai-compatible", "base_url": "http://127.0.0.1:8000/v1",
           "vision_family": "qwen2.5-vl"},
          {"model": "*", "backend": "builtin"}
        ]}""", "models.json", Map.of())) {
      assertEquals(VisionFamily.QWEN2_5_VL, routes.route("qwen2.5-vl-7b").orElseThrow().visionFamily());
      assertEquals(28, routes.route("qwen2.5-vl-7b").orElseThrow().visionFamily().factor());
      assertEquals(VisionFamily.QWEN3_VL, routes.route("qwen3-vl-plus").orElseThrow().visionFamily());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutesConfig.of("""
        {"routes": [{"model": "*", "backend": "builtin", "vision_family": "qwen1"}]}""", "models.json", Map.of()));
    assertEquals("models.json: routes[0].vision_family must be one of [qwen3-vl, qwen2.5-vl], got: 'qwen1'",
        e.getMessage());
  }
}
