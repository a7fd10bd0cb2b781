package dev.loupe.runs.routing;

import dev.loupe.runs.BuiltinModel;
import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.ModelCatalog;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ModelCatalog} from an ordered list of {@link ModelRoute}s: a request's {@code model} goes
 * to the first rule whose glob matches it; a name no rule matches is unknown (404 {@code
 * model_not_found}).
 *
 * <pre>{@code
 * try (ModelRoutes routes = RoutesConfig.load(modelsFile, System.getenv())) {
 *   routes.find("qwen2.5-vl-7b");   // the upstream, if a "qwen*" rule comes first
 *   routes.listedModels();          // what GET /v1/models shows
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. It owns its backends: {@link #close()} closes those that hold
 * connections.
 */
public final class ModelRoutes implements ModelCatalog, AutoCloseable {
  /** The id the builtin model is listed under, and the name it answers to when upstreams are set. */
  public static final String BUILTIN = "builtin";

  private final List<ModelRoute> routes;

  public ModelRoutes(List<ModelRoute> routes) {
    this.routes = List.copyOf(routes);
  }

  /** What Loupe does with nothing configured: every model name goes to the builtin model. */
  public static ModelRoutes builtinOnly() {
    return new ModelRoutes(List.of(new ModelRoute("*", BUILTIN, new BuiltinModel())));
  }

  @Override
  public Optional<ModelBackend> find(String model) {
    for (ModelRoute route : routes) {
      if (route.matches(model)) {
        return Optional.of(route.backend());
      }
    }
    return Optional.empty();
  }

  @Override
  public int patchFactor(String model) {
    return route(model).map(r -> r.visionFamily().factor()).orElse(DEFAULT_PATCH_FACTOR);
  }

  /** The first rule matching {@code model}: the backend and its settings; empty when unknown. */
  public Optional<ModelRoute> route(String model) {
    return routes.stream().filter(r -> r.matches(model)).findFirst();
  }

  /** The rules, first match first. */
  public List<ModelRoute> routes() {
    return routes;
  }

  /**
   * The ids {@code GET /v1/models} lists: each rule's pattern, globs included, so a client sees
   * what it may ask for; a builtin catch-all ({@code *}) is listed as {@value #BUILTIN}.
   */
  public List<String> listedModels() {
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (ModelRoute route : routes) {
      ids.add(route.pattern().equals("*") && route.kind().equals(BUILTIN) ? BUILTIN : route.pattern());
    }
    return List.copyOf(ids);
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    IdentityHashMap<ModelBackend, Boolean> closed = new IdentityHashMap<>();
    for (ModelRoute route : new ArrayList<>(routes)) {
      if (route.backend() instanceof AutoCloseable c && closed.put(route.backend(), true) == null) {
        try {
          c.close();
        } catch (Exception e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "ModelRoutes" + routes.stream().map(r -> r.pattern() + " -> " + r.kind()).toList();
  }
}
