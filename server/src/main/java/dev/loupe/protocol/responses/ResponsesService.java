package dev.loupe.protocol.responses;

import dev.loupe.protocol.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.ModelCatalog;
import dev.loupe.store.ResponseStore;
import dev.loupe.store.StoredResponse;
import dev.loupe.tools.ImageSearchFailed;
import dev.loupe.tools.ImageSearchTool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Responses API without HTTP. The HTTP layer parses the body to a {@link JsonNode}, calls one
 * method here, and writes what comes back:
 *
 * <pre>{@code
 * // POST {prefix}/responses
 * try {
 *   ResponseCall call = service.prepare(body, request.header("X-DashScope-SSE"));
 *   if (call.streaming()) {            // 200, Content-Type: text/event-stream
 *     call.stream(new EventSink() {
 *       public void event(ResponseStreamEvent e) throws IOException { out.write(SseFraming.event(e)); out.flush(); }
 *       public void comment(String t) throws IOException { out.write(SseFraming.comment(t)); out.flush(); }
 *     });                               // then close the connection
 *   } else {
 *     respond(200, call.await());       // any terminal status is a 200 (contract 2.5)
 *   }
 * } catch (ApiException e) {
 *   respond(e.status(), e.body());      // before any byte of a stream (contract 3.6); also an
 *                                       // upstream model down (502) or slow (504) in await()
 * }
 * // GET {prefix}/responses/{id}             -> service.retrieve(id)
 * // DELETE {prefix}/responses/{id}          -> service.delete(id)
 * // GET {prefix}/responses/{id}/input_items -> service.inputItems(id, query "order")
 * }</pre>
 *
 * <p>Thread-safe; one instance serves every request. Close it to stop the heartbeat thread.
 */
public final class ResponsesService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ModelCatalog models;
  private final ImageSearchTool tool;
  private final ResponseStore store;
  private final ResponsesConfig config;
  private final Clock clock;
  private final ScheduledExecutorService heartbeats;

  /**
   * @param store where responses are kept, or null to keep none (then {@code previous_response_id}
   *     and the retrieval routes answer "not found")
   */
  public ResponsesService(ModelCatalog models, ImageSearchTool tool, ResponseStore store, ResponsesConfig config,
      Clock clock) {
    this.models = Objects.requireNonNull(models, "models");
    this.tool = Objects.requireNonNull(tool, "tool");
    this.store = store;
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loupe-responses-heartbeat");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Validates a {@code POST /responses} body and resolves its model and {@code
   * previous_response_id}. Cheap: nothing runs yet.
   *
   * @param dashScopeSse the {@code X-DashScope-SSE} header value, or null
   * @throws ApiException 400 for a bad body (contract 2.1, 2.2), 404 {@code model_not_found}, 400 {@code
   *     previous_response_not_found}
   */
  public ResponseCall prepare(JsonNode body, String dashScopeSse) throws ApiException {
    ResponsesRequest request = ResponsesRequestParser.parse(body, dashScopeSse);
    ModelBackend backend = models.find(request.model()).orElseThrow(() -> ApiException.modelNotFound(request.model()));
    InputImages images = InputImages.read(request, tool, models.patchFactor(request.model()));
    List<ObjectNode> history = new ArrayList<>();
    Map<String, Integer> historyTokens = new HashMap<>();
    if (request.previousResponseId() != null) {
      StoredResponse previous = (store == null ? java.util.Optional.<StoredResponse>empty()
          : store.find(request.previousResponseId())).orElseThrow(() -> ApiException.invalid("previous_response_id",
              "previous_response_not_found", "Previous response with id '" + request.previousResponseId() + "' not found."));
      JsonNode conversation = parse(previous.conversation());
      JsonNode output = parse(previous.response()).path("output");
      int i = 0;
      for (JsonNode item : conversation) {
        history.add(ResponsesRequestParser.item(ConversationItems.takeStoredTokens(item, historyTokens),
            "previous_response.input[" + i++ + "]"));
      }
      i = 0;
      for (JsonNode item : output) {
        history.add(ResponsesRequestParser.item(item, "previous_response.output[" + i++ + "]"));
      }
    }
    return new ResponseCall(this, request, backend, history, historyTokens, images);
  }

  /** {@code GET /responses/{id}}: the stored Response, as create returned it. */
  public ObjectNode retrieve(String id) throws ApiException {
    return (ObjectNode) parse(find(id).response());
  }

  /** {@code DELETE /responses/{id}}: {@code {"id","object":"response.deleted","deleted":true}}. */
  public ObjectNode delete(String id) throws ApiException {
    if (store == null || !store.delete(id)) {
      throw notFound(id);
    }
    return NODES.objectNode().put("id", id).put("object", "response.deleted").put("deleted", true);
  }

  /**
   * {@code GET /responses/{id}/input_items}: {@code {"object":"list","data",first_id,last_id,has_more}},
   * this request's input items (not the earlier turns).
   *
   * @param order {@code asc} (as sent) or {@code desc}; null means {@code desc}, OpenAI's default
   */
  public ObjectNode inputItems(String id, String order) throws ApiException {
    if (order != null && !order.equals("asc") && !order.equals("desc")) {
      throw ApiException.invalid("order", "invalid_value",
          "Invalid value for 'order': '" + order + "'. Supported values are: 'asc' and 'desc'.");
    }
    List<JsonNode> items = new ArrayList<>();
    parse(find(id).inputItems()).forEach(items::add);
    if (!"asc".equals(order)) {
      java.util.Collections.reverse(items);
    }
    ObjectNode page = NODES.objectNode().put("object", "list");
    ArrayNode data = page.putArray("data");
    items.forEach(data::add);
    page.put("first_id", items.isEmpty() ? null : items.getFirst().path("id").asText(null));
    page.put("last_id", items.isEmpty() ? null : items.getLast().path("id").asText(null));
    page.put("has_more", false);
    return page;
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
  }

  ResponsesConfig config() {
    return config;
  }

  Clock clock() {
    return clock;
  }

  ImageSearchTool tool() {
    return tool;
  }

  ResponseStore store() {
    return store;
  }

  ScheduledExecutorService heartbeats() {
    return heartbeats;
  }

  private StoredResponse find(String id) throws ApiException {
    return (store == null ? java.util.Optional.<StoredResponse>empty() : store.find(id))
        .orElseThrow(() -> notFound(id));
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("response_id", "No response found with id '" + id + "'.");
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored document is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
