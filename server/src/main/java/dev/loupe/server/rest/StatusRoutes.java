package dev.loupe.server.rest;

import dev.loupe.tools.HitJson;
import dev.loupe.tools.StatsJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.server.http.MethodNotAllowed;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /healthz} ({@code {"status":"ok","images":N}}, open without a key, for load balancers),
 * {@code GET /v1/models}, the OpenAI model list with the model names the server routes, and {@code
 * GET /v1/stats}, what the index holds: {@code {"object":"stats", "images", "occurrences",
 * "bytes_on_disk", "segments", "last_commit", "domains"}} ({@code last_commit} an ISO-8601 instant,
 * null for an empty index; {@code domains} the hosts images were seen on, {@code {"domain",
 * "images"}}, most images first, at most 20).
 */
public final class StatusRoutes implements HttpService {
  /** The model id listed by {@code /v1/models} when nothing else is configured. */
  public static final String MODEL_ID = "builtin";
  private static final int TOP_DOMAINS = 20;

  private final Loupe loupe;
  private final List<String> modelIds;
  private final long started = Instant.now().getEpochSecond();

  /** Lists the one model {@value #MODEL_ID}. */
  public StatusRoutes(Loupe loupe) {
    this(loupe, List.of(MODEL_ID));
  }

  /** @param modelIds the ids {@code /v1/models} lists, in order */
  public StatusRoutes(Loupe loupe, List<String> modelIds) {
    this.loupe = loupe;
    this.modelIds = List.copyOf(modelIds);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/healthz", this::health)
        .any("/healthz", MethodNotAllowed.allowing("GET"))
        .get("/v1/models", this::models)
        .any("/v1/models", MethodNotAllowed.allowing("GET"))
        .get("/v1/stats", this::stats)
        .any("/v1/stats", MethodNotAllowed.allowing("GET"));
  }

  private void health(ServerRequest request, ServerResponse response) throws IOException {
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("status", "ok");
    body.put("images", loupe.index().stats().images());
    Json.send(response, body);
  }

  private void stats(ServerRequest request, ServerResponse response) throws IOException {
    Json.send(response, StatsJson.of(loupe, TOP_DOMAINS));
  }

  private void models(ServerRequest request, ServerResponse response) {
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    for (String id : modelIds) {
      ObjectNode model = data.addObject();
      model.put("id", id);
      model.put("object", "model");
      model.put("created", started);
      model.put("owned_by", "loupe");
    }
    Json.send(response, body);
  }
}
