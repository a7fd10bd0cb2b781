package dev.loupe.server.chat;

import dev.loupe.engine.Loupe;
import dev.loupe.protocol.chat.ChatCall;
import dev.loupe.protocol.chat.ChatChunkFraming;
import dev.loupe.protocol.chat.ChatCompletion;
import dev.loupe.protocol.chat.ChatCompletionsService;
import dev.loupe.protocol.chat.ChatSink;
import dev.loupe.protocol.ApiException;
import dev.loupe.protocol.completion.CompletionService;
import dev.loupe.runs.routing.ModelRoutes;
import dev.loupe.server.http.RequestBody;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code POST /chat/completions}, relative to each prefix {@link dev.loupe.server.LoupeServer}
 * mounts protocol services under, so {@code /v1/chat/completions} and {@code
 * /compatible-mode/v1/chat/completions} (contract 1.1). Errors before the first chunk are answered
 * in the OpenAI envelope with their status; after it, a failure is the stream's last event (6.3).
 *
 * <pre>{@code
 * ChatCompletionsRoutes chat = ChatCompletionsRoutes.forEngine(loupe, models, baseUrl::get, maxBytes);
 * new LoupeServer(config, loupe, List.of(responses, chat), models.listedModels()).start();
 * }</pre>
 *
 * <p>Thread-safe; holds no resources of its own.
 */
public final class ChatCompletionsRoutes implements HttpService {
  private final ChatCompletionsService service;
  private final long maxRequestBytes;

  public ChatCompletionsRoutes(ChatCompletionsService service, long maxRequestBytes) {
    this.service = Objects.requireNonNull(service, "service");
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * The routes over an engine: its fetcher and image limits, at most 100 hits per tool call.
   *
   * @param models which backend answers which model name; the caller keeps owning it
   * @param baseUrl the server's public base URL, for links to locally indexed images
   */
  public static ChatCompletionsRoutes forEngine(Loupe loupe, ModelRoutes models, Supplier<String> baseUrl,
      long maxRequestBytes) {
    return new ChatCompletionsRoutes(new ChatCompletionsService(CompletionService.forEngine(loupe, models, baseUrl)),
        maxRequestBytes);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/chat/completions", this::create);
  }

  private void create(ServerRequest request, ServerResponse response) throws IOException, ApiException {
    ObjectNode body = RequestBody.readJsonObject(request, maxRequestBytes);
    ChatCall call = service.prepare(body);
    if (!call.streaming()) {
      ChatCompletion done = call.await();
      if (done.partial()) {
        response.header(HeaderNames.create("x-dashscope-partialresponse"), "true");
      }
      response.status(Status.OK_200);
      response.header(HeaderNames.CONTENT_TYPE, "application/json");
      response.send(done.body().toString().getBytes(StandardCharsets.UTF_8));
      return;
    }
    // The response starts with the first chunk, so an upstream failing before it is still an HTTP error.
    OutputStream[] out = {null};
    try {
      call.stream(new ChatSink() {
        @Override
        public void chunk(ObjectNode chunk) throws IOException {
          write(ChatChunkFraming.chunk(chunk));
        }

        @Override
        public void done() throws IOException {
          write(ChatChunkFraming.done());
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
