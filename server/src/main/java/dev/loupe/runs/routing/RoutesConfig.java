package dev.loupe.runs.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.runs.BuiltinModel;
import dev.loupe.runs.upstream.UpstreamConfig;
import dev.loupe.runs.upstream.UpstreamModel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link ModelRoutes} from a routes file and the environment.
 *
 * <p><b>The file</b> (JSON; {@code --models FILE}, else {@code $LOUPE_MODELS}) lists rules in order,
 * first match wins:
 *
 * <pre>{@code
 * {"routes": [
 *   {"model": "qwen*", "backend": "openai-compatible", "base_url": "http://127.0.0.1:8000/v1",
 *    "api_key_env": "VLLM_API_KEY", "upstream_model": "Qwen/Qwen2.5-VL-7B-Instruct",
 *    "connect_timeout_seconds": 10, "timeout_seconds": 120, "max_retries": 2, "max_rounds": 8,
 *    "vision_family": "qwen2.5-vl"},
 *   {"model": "*", "backend": "builtin"}
 * ]}
 * }</pre>
 *
 * {@code model} (a glob, see {@link ModelRoute}) and {@code backend} ({@code builtin} or {@code
 * openai-compatible}) are required; an upstream needs {@code base_url} and takes at most one of
 * {@code api_key} and {@code api_key_env} (the name of a variable holding the key, which keeps keys
 * out of the file); the rest default as in {@link UpstreamConfig}. {@code vision_family} ({@code
 * qwen3-vl}, the default, or {@code qwen2.5-vl}; any backend) sets the patch factor that image token
 * accounting and smart resizing use (32 or 28 pixels per token side, contract section 9). Unknown
 * fields are refused, so a typo cannot silently drop a setting.
 *
 * <p><b>The environment</b>, for the common case of one upstream: {@code LOUPE_UPSTREAM_URL} (the
 * base URL), {@code LOUPE_UPSTREAM_KEY}, {@code LOUPE_UPSTREAM_MODELS} (comma-separated globs sent
 * there; default {@code *}) and {@code LOUPE_UPSTREAM_MODEL} (the name sent upstream; default the
 * request's). Those rules come before the file's, so the environment can redirect a family without
 * editing the file.
 *
 * <p><b>Defaults.</b> With neither, every model name goes to the builtin model, as before routing
 * existed. With only the environment, the name {@code builtin} still reaches the builtin model and
 * any other name the globs miss is unknown. With a file, exactly its rules (after the
 * environment's) apply.
 */
public final class RoutesConfig {
  public static final String ENV_FILE = "LOUPE_MODELS";
  public static final String ENV_URL = "LOUPE_UPSTREAM_URL";
  public static final String ENV_KEY = "LOUPE_UPSTREAM_KEY";
  public static final String ENV_MODELS = "LOUPE_UPSTREAM_MODELS";
  public static final String ENV_UPSTREAM_MODEL = "LOUPE_UPSTREAM_MODEL";

  static final String OPENAI_COMPATIBLE = "openai-compatible";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("model", "backend", "base_url", "api_key", "api_key_env",
      "upstream_model", "connect_timeout_seconds", "timeout_seconds", "max_retries", "max_rounds", "vision_family");

  private RoutesConfig() {}

  /**
   * The routes of {@code file} (or of {@code $LOUPE_MODELS} when {@code file} is null) and of the
   * environment's {@code LOUPE_UPSTREAM_*} variables.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the rule and the value when the configuration is wrong
   */
  public static ModelRoutes load(Path file, Map<String, String> env) throws IOException {
    if (file == null && env.get(ENV_FILE) != null && !env.get(ENV_FILE).isBlank()) {
      file = Path.of(env.get(ENV_FILE));
    }
    String json = file == null ? null : Files.readString(file);
    return of(json, file == null ? null : file.toString(), env);
  }

  /**
   * The routes of a file's text (or none when {@code json} is null) and of the environment.
   *
   * @param source what to call the file in messages
   */
  public static ModelRoutes of(String json, String source, Map<String, String> env) {
    List<ModelRoute> routes = new ArrayList<>(fromEnv(env));
    if (json != null) {
      try {
        fromFile(json, source, env, routes);
      } catch (RuntimeException e) {
        closeQuietly(routes); // the upstreams made so far own HTTP clients
        throw e;
      }
    } else if (!routes.isEmpty()) {
      routes.add(new ModelRoute(ModelRoutes.BUILTIN, ModelRoutes.BUILTIN, new BuiltinModel()));
    } else {
      return ModelRoutes.builtinOnly();
    }
    return new ModelRoutes(routes);
  }

  private static List<ModelRoute> fromEnv(Map<String, String> env) {
    String url = blankToNull(env.get(ENV_URL));
    if (url == null) {
      for (String other : List.of(ENV_KEY, ENV_MODELS, ENV_UPSTREAM_MODEL)) {
        if (blankToNull(env.get(other)) != null) {
          throw new IllegalArgumentException(other + " is set but " + ENV_URL + " is not");
        }
      }
      return List.of();
    }
    UpstreamConfig config = UpstreamConfig.of(uri(url, ENV_URL), blankToNull(env.get(ENV_KEY)))
        .withUpstreamModel(blankToNull(env.get(ENV_UPSTREAM_MODEL)));
    List<String> globs = new ArrayList<>();
    for (String glob : (blankToNull(env.get(ENV_MODELS)) == null ? "*" : env.get(ENV_MODELS)).split(",")) {
      if (!glob.isBlank()) {
        globs.add(glob.strip());
      }
    }
    if (globs.isEmpty()) {
      throw new IllegalArgumentException(ENV_MODELS + " names no model pattern, got: '" + env.get(ENV_MODELS) + "'");
    }
    UpstreamModel upstream = new UpstreamModel(config); // one client for all the globs
    return globs.stream().map(g -> new ModelRoute(g, OPENAI_COMPATIBLE, upstream)).toList();
  }

  private static void closeQuietly(List<ModelRoute> routes) {
    try {
      new ModelRoutes(routes).close();
    } catch (Exception ignored) {
      // already failing with the configuration error, which says more
    }
  }

  private static void fromFile(String json, String source, Map<String, String> env, List<ModelRoute> routes) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.path("routes").isArray()) {
      throw new IllegalArgumentException(source + " must be an object with a \"routes\" array");
    }
    if (root.get("routes").isEmpty()) {
      throw new IllegalArgumentException(source + " has no routes: every model would be unknown");
    }
    int i = 0;
    for (JsonNode rule : root.get("routes")) {
      routes.add(route(rule, source + ": routes[" + i++ + "]", env));
    }
  }

  private static ModelRoute route(JsonNode rule, String where, Map<String, String> env) {
    if (!rule.isObject()) {
      throw new IllegalArgumentException(where + " must be an object, got: " + rule);
    }
    for (Iterator<String> names = rule.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(where + " has an unknown field '" + name + "'; known: "
            + FIELDS.stream().sorted().toList());
      }
    }
    String pattern = text(rule, "model", where, true);
    String backend = text(rule, "backend", where, true);
    String familyName = text(rule, "vision_family", where, false);
    VisionFamily family;
    try {
      family = familyName == null ? null : VisionFamily.parse(familyName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + e.getMessage());
    }
    return switch (backend) {
      case ModelRoutes.BUILTIN -> {
        for (String name : List.of("base_url", "api_key", "api_key_env", "upstream_model")) {
          if (rule.has(name)) {
            throw new IllegalArgumentException(where + ": '" + name + "' applies to " + OPENAI_COMPATIBLE
                + " routes only");
          }
        }
        yield new ModelRoute(pattern, ModelRoutes.BUILTIN, new BuiltinModel(), family);
      }
      case OPENAI_COMPATIBLE -> {
        String key = text(rule, "api_key", where, false);
        String keyEnv = text(rule, "api_key_env", where, false);
        if (key != null && keyEnv != null) {
          throw new IllegalArgumentException(where + " sets both api_key and api_key_env; keep one");
        }
        if (keyEnv != null) {
          key = blankToNull(env.get(keyEnv));
          if (key == null) {
            throw new IllegalArgumentException(where + ": api_key_env names " + keyEnv + ", which is not set");
          }
        }
        UpstreamConfig defaults = UpstreamConfig.of(uri(text(rule, "base_url", where, true), where + ".base_url"), key);
        UpstreamConfig config = new UpstreamConfig(defaults.baseUrl(), defaults.apiKey(),
            text(rule, "upstream_model", where, false),
            seconds(rule, "connect_timeout_seconds", where, defaults.connectTimeout()),
            seconds(rule, "timeout_seconds", where, defaults.timeout()),
            integer(rule, "max_retries", where, defaults.maxRetries()), defaults.retryBackoff(),
            integer(rule, "max_rounds", where, defaults.maxRounds()));
        yield new ModelRoute(pattern, OPENAI_COMPATIBLE, new UpstreamModel(config), family);
      }
      default -> throw new IllegalArgumentException(where + ".backend must be '" + ModelRoutes.BUILTIN + "' or '"
          + OPENAI_COMPATIBLE + "', got: '" + backend + "'");
    };
  }

  private static String text(JsonNode rule, String name, String where, boolean required) {
    JsonNode v = rule.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException(where + " needs '" + name + "'");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + name + " must be a non-empty string, got: " + v);
    }
    return v.asText().strip();
  }

  private static int integer(JsonNode rule, String name, String where, int fallback) {
    JsonNode v = rule.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(where + "." + name + " must be an integer, got: " + v);
    }
    return v.asInt();
  }

  private static Duration seconds(JsonNode rule, String name, String where, Duration fallback) {
    JsonNode v = rule.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber() || v.asDouble() <= 0) {
      throw new IllegalArgumentException(where + "." + name + " must be a positive number of seconds, got: " + v);
    }
    return Duration.ofMillis(Math.round(v.asDouble() * 1000));
  }

  private static URI uri(String text, String where) {
    try {
      URI uri = URI.create(text.strip());
      UpstreamConfig.of(uri, null); // validates scheme and host
      return uri;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " must be an http(s) URL such as http://127.0.0.1:8000/v1, got: '"
          + text + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
