package dev.loupe.server.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.protocol.ApiException;
import dev.loupe.protocol.responses.EventSink;
import dev.loupe.protocol.responses.ResponseCall;
import dev.loupe.protocol.responses.ResponseStreamEvent;
import dev.loupe.protocol.responses.ResponsesConfig;
import dev.loupe.protocol.responses.ResponsesService;
import dev.loupe.protocol.responses.SseFraming;
import dev.loupe.runs.BuiltinModel;
import dev.loupe.runs.ModelCatalog;
import dev.loupe.server.http.RequestBody;
import dev.loupe.store.ResponseRetention;
import dev.loupe.store.ResponseStore;
import dev.loupe.tools.ImageSearchTool;
import dev.loupe.tools.LoupeSearchBackend;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code POST /responses}, {@code GET|DELETE /responses/{id}} and {@code GET
 * /responses/{id}/input_items}, relative to each prefix {@link dev.loupe.server.LoupeServer} mounts
 * protocol services under. Errors found before a stream starts are answered in the OpenAI envelope
 * with their status; after the first event a failure is the stream's last event (contract 3.6).
 *
 * <p>Thread-safe. Close it to stop the service's heartbeat thread and the response store.
 */
public final class ResponsesRoutes implements HttpService, AutoCloseable {
  private final ResponsesService service;
  private final ResponseStore store;
  private final long maxRequestBytes;

  public ResponsesRoutes(ResponsesService service, ResponseStore store, long maxRequestBytes) {
    this.service = Objects.requireNonNull(service, "service");
    this.store = store;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * The routes over an engine with the builtin model answering every model name; see {@link
   * #forEngine(Loupe, ModelCatalog, Supplier, long)}.
   */
  public static ResponsesRoutes forEngine(Loupe loupe, Supplier<String> baseUrl, long maxRequestBytes) throws IOException {
    return forEngine(loupe, ModelCatalog.serving(new BuiltinModel()), baseUrl, maxRequestBytes);
  }

  /**
   * The routes over an engine, at most 100 hits per tool call, and responses stored in the engine's
   * data directory.
   *
   * @param models which backend answers which model name, for example {@link
   *     dev.loupe.runs.routing.ModelRoutes}; the caller keeps owning it and closes it after these
   *     routes
   * @param baseUrl the server's public base URL, read when a hit needs a link to a locally indexed
   *     image ({@code {base}/v1/images/{id}/content}); it may only be known once the server listens
   */
  public static ResponsesRoutes forEngine(Loupe loupe, ModelCatalog models, Supplier<String> baseUrl,
      long maxRequestBytes) throws IOException {
    return forEngine(loupe, models, baseUrl, maxRequestBytes, ResponseRetention.defaults());
  }

  /** As above, keeping stored responses as long and as much as {@code retention} allows. */
  public static ResponsesRoutes forEngine(Loupe loupe, ModelCatalog models, Supplier<String> baseUrl,
      long maxRequestBytes, ResponseRetention retention) throws IOException {
    ImageSearchTool tool = new ImageSearchTool(new LoupeSearchBackend(loupe), 100,
        id -> baseUrl.get() + "/v1/images/" + id + "/content");
    ResponseStore store = ResponseStore.open(loupe.config().dataDir(), retention, Clock.systemUTC());
    ResponsesService service = new ResponsesService(models, tool, store,
        ResponsesConfig.defaults(), Clock.systemUTC());
    return new ResponsesRoutes(service, store, maxRequestBytes);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/responses", this::create)
        .get("/responses/{id}", (req, res) -> json(res, 200, service.retrieve(id(req))))
        .delete("/responses/{id}", (req, res) -> json(res, 200, service.delete(id(req))))
        .get("/responses/{id}/input_items", (req, res) -> json(res, 200,
            service.inputItems(id(req), req.query().first("order").orElse(null))));
  }

  /** Answers errors found before the first byte (an {@link ApiException}) through the server's error mapping. */
  private void create(ServerRequest request, ServerResponse response) throws IOException, ApiException {
    JsonNode body = RequestBody.readJsonObject(request, maxRequestBytes);
    ResponseCall call = service.prepare(body,
        request.headers().first(HeaderNames.create("X-DashScope-SSE")).orElse(null));
    if (!call.streaming()) {
      json(response, 200, call.await());
      return;
    }
    response.status(Status.OK_200);
    response.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.header(HeaderNames.CACHE_CONTROL, "no-cache");
    response.header(HeaderNames.create("X-Accel-Buffering"), "no");
    try (OutputStream out = response.outputStream()) {
      call.stream(new EventSink() {
        @Override
        public void event(ResponseStreamEvent event) throws IOException {
          out.write(SseFraming.event(event));
          out.flush();
        }

        @Override
        public void comment(String text) throws IOException {
          out.write(SseFraming.comment(text));
          out.flush();
        }
      });
    }
  }

  private static String id(ServerRequest request) {
    return request.path().pathParameters().get("id");
  }

  private static void json(ServerResponse response, int status, JsonNode body) {
    response.status(Status.create(status));
    response.header(HeaderNames.CONTENT_TYPE, "application/json");
    response.send(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    service.close();
    if (store != null) {
      store.close();
    }
  }
}
