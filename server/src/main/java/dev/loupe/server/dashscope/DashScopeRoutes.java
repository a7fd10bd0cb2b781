package dev.loupe.server.dashscope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.protocol.completion.CompletionService;
import dev.loupe.protocol.dashscope.DashScopeCall;
import dev.loupe.protocol.dashscope.DashScopeErrors;
import dev.loupe.protocol.dashscope.DashScopeResponse;
import dev.loupe.protocol.dashscope.DashScopeService;
import dev.loupe.protocol.dashscope.DashScopeSink;
import dev.loupe.protocol.dashscope.DashScopeSseFraming;
import dev.loupe.protocol.ApiException;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.server.http.RequestBody;
import dev.loupe.server.http.RequestIds;
import dev.loupe.server.http.ErrorEnvelope;
import dev.loupe.server.http.RootService;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * DashScope's native API at its absolute paths (contract 1.1), so the DashScope SDK works with
 * {@code Constants.baseHttpApiUrl} (or {@code DASHSCOPE_HTTP_BASE_URL}) set to {@code
 * http://host:port/api/v1}:
 *
 * <ul>
 *   <li>{@code POST /api/v1/services/aigc/multimodal-generation/generation}: JSON, or a stream when
 *       the request has {@code X-DashScope-SSE: enable} (7.3);
 *   <li>{@code GET /api/v1/uploads?action=getPolicy}: always 400 {@code InvalidParameter}, since
 *       Loupe does not host uploads (7.6); the SDK then fails before generating.
 * </ul>
 *
 * <p>Every error is in the native envelope {@code {code, message, request_id}}, which these routes
 * mount under {@link #ROOT} ({@link #envelope()}), refusals before routing included; after the first
 * chunk a failure is one {@code event:error}. Pass it to {@link dev.loupe.server.LoupeServer} with
 * the other protocol services:
 *
 * <pre>{@code
 * DashScopeRoutes dashscope = DashScopeRoutes.forEngine(loupe, models, baseUrl::get, maxBytes);
 * new LoupeServer(config, loupe, List.of(responses, chat, dashscope), models.listedModels()).start();
 * }</pre>
 *
 * <p>Thread-safe; holds no resources of its own.
 */
public final class DashScopeRoutes implements RootService {
  /** Where DashScope's native API lives, and with it its error envelope. */
  public static final String ROOT = "/api/v1/";
  /** The generation endpoint, absolute. */
  public static final String GENERATION_PATH = "/api/v1/services/aigc/multimodal-generation/generation";
  /** The SDK's upload-policy endpoint, absolute. */
  public static final String UPLOADS_PATH = "/api/v1/uploads";

  private static final HeaderName SSE = HeaderNames.create("X-DashScope-SSE");
  private static final HeaderName ENCRYPTION_KEY = HeaderNames.create("X-DashScope-EncryptionKey");

  private final DashScopeService service;
  private final long maxRequestBytes;

  @Override
  public String root() {
    return ROOT;
  }

  @Override
  public ErrorEnvelope envelope() {
    return DashScopeErrors::body;
  }

  public DashScopeRoutes(DashScopeService service, long maxRequestBytes) {
    this.service = Objects.requireNonNull(service, "service");
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * The routes over an engine: its fetcher and image limits, at most 100 hits per tool call, the
   * same model routes and image reading as Chat Completions ({@link CompletionService#forEngine}).
   */
  public static DashScopeRoutes forEngine(Loupe loupe, ModelRoutes models, Supplier<String> baseUrl,
      long maxRequestBytes) {
    return new DashScopeRoutes(new DashScopeService(CompletionService.forEngine(loupe, models, baseUrl)),
        maxRequestBytes);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post(GENERATION_PATH, this::generate);
    rules.get(UPLOADS_PATH, (request, response) -> {
      throw DashScopeService.localUploadRefused();
    });
  }

  private void generate(ServerRequest request, ServerResponse response) throws IOException, ApiException {
    if (request.headers().contains(ENCRYPTION_KEY)) {
      throw new ApiException(400, "invalid_request_error", DashScopeErrors.INVALID_PARAMETER, null,
          "Encrypted requests (X-DashScope-EncryptionKey) are not supported.");
    }
    ObjectNode body = RequestBody.readJsonObject(request, maxRequestBytes);
    // The header is the only stream switch on this path (contract 1.3); Accept is not.
    boolean stream = request.headers().first(SSE).map(v -> v.strip().equalsIgnoreCase("enable")).orElse(false);
    String requestId = RequestIds.of(response);
    DashScopeCall call = service.prepare(body, stream, requestId);
    if (!call.streaming()) {
      DashScopeResponse done = call.await();
      if (done.partial()) {
        response.header(HeaderNames.create("x-dashscope-partialresponse"), "true");
      }
      response.status(Status.OK_200);
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.send(done.body().toString().getBytes(StandardCharsets.UTF_8));
      return;
    }
    // The response starts with the first chunk, so a failure before it is still an HTTP error.
    OutputStream[] out = {null};
    try {
      call.stream(new DashScopeSink() {
        private int id;

        @Override
        public void result(ObjectNode chunk) throws IOException {
          write(DashScopeSseFraming.result(++id, chunk));
        }

        @Override
        public void error(int status, ObjectNode error) throws IOException {
          write(DashScopeSseFraming.error(++id, status, error));
        }

        private void write(byte[] bytes) throws IOException {
          if (out[0] == null) {
            response.status(Status.OK_200);
            response.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            response.header(HeaderNames.CACHE_CONTROL, "no-cache");
            response.header(HeaderNames.create("X-Accel-Buffering"), "no");
            out[0] = response.outputStream();
          }
          out[0].write(bytes);
          out[0].flush();
        }
      });
    } finally {
      if (out[0] != null) {
        out[0].close();
      }
    }
  }
}
