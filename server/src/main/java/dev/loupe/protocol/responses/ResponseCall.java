package dev.loupe.protocol.responses;

import dev.loupe.protocol.ApiException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.runs.ConversationItem;
import dev.loupe.runs.ModelBackend;
import dev.loupe.runs.ResponseRun;
import dev.loupe.runs.RunEvent;
import dev.loupe.runs.RunRequest;
import dev.loupe.store.StoredResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One accepted request, validated and ready to run: {@link ResponsesService#prepare} made it, so
 * every HTTP error has already been raised. Run it once, with {@link #stream} when {@link
 * #streaming()} is true, else with {@link #await}. Both block the calling thread (use a virtual
 * thread) until the turn ends; both fold the same event stream.
 */
public final class ResponseCall {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ResponsesService service;
  private final ResponsesRequest request;
  private final ModelBackend backend;
  private final List<ObjectNode> history;
  private final Map<String, Integer> historyTokens;
  private final InputImages images;
  private final String responseId = ResponseRun.newId("resp");
  private final long createdAt;
  private boolean started;

  /** @param historyTokens the tokens of the history's images as their own turns counted them, by URL */
  ResponseCall(ResponsesService service, ResponsesRequest request, ModelBackend backend, List<ObjectNode> history,
      Map<String, Integer> historyTokens, InputImages images) {
    this.service = service;
    this.request = request;
    this.backend = backend;
    this.history = List.copyOf(history);
    this.historyTokens = Map.copyOf(historyTokens);
    this.images = images;
    this.createdAt = service.clock().instant().getEpochSecond();
  }

  /** Whether the client asked for SSE ({@code "stream": true} or {@code X-DashScope-SSE: enable}). */
  public boolean streaming() {
    return request.stream();
  }

  /** The id the Response will carry in every lifecycle event. */
  public String responseId() {
    return responseId;
  }

  /** The validated request. */
  public ResponsesRequest request() {
    return request;
  }

  /**
   * Streams the response: events from {@code response.created} to exactly one terminal event
   * ({@code response.completed}, {@code .incomplete} or {@code .failed}), with SSE comment
   * heartbeats at the configured interval between them. Returns after the terminal event; the
   * caller then closes the connection (no {@code [DONE]}, contract 3.1 rule 4).
   *
   * @throws IOException from the sink; the turn stops and nothing more is written
   */
  public void stream(EventSink sink) throws IOException {
    Object lock = new Object();
    boolean[] ended = {false};
    long every = service.config().heartbeatInterval().toMillis();
    ScheduledFuture<?> heartbeat = service.heartbeats().scheduleWithFixedDelay(() -> {
      synchronized (lock) {
        if (ended[0]) {
          return; // nothing may follow the terminal event (contract 3.1 rule 4)
        }
        try {
          sink.comment("keep-alive");
        } catch (IOException e) {
          throw new UncheckedIOException(e); // ends the schedule; the next event write fails too
        }
      }
    }, every, every, TimeUnit.MILLISECONDS);
    try {
      run(event -> {
        synchronized (lock) {
          try {
            sink.event(event);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      synchronized (lock) {
        ended[0] = true;
      }
      heartbeat.cancel(false);
    }
  }

  /**
   * Runs the turn without streaming and returns the final Response (any terminal status but one).
   *
   * @throws ApiException when the model backend failed with a {@link dev.loupe.runs.BackendFailed} (an
   *     upstream down, slow or refusing): the client has seen nothing yet, so it gets that HTTP
   *     status (502, 504) in the OpenAI envelope rather than a 200 with a failed Response, and its
   *     SDK can retry. Nothing is stored.
   */
  public ObjectNode await() throws ApiException {
    RunEvent.Failed[] failed = {null};
    ObjectNode response = run(event -> { }, event -> {
      if (event instanceof RunEvent.Failed f) {
        failed[0] = f;
      }
    });
    if (failed[0] != null && failed[0].kind().upstream()) {
      throw ApiException.of(failed[0].kind(), failed[0].code(), failed[0].message());
    }
    return response;
  }

  private ObjectNode run(Consumer<ResponseStreamEvent> out) {
    return run(out, event -> { });
  }

  /** @param observer sees each run event before the encoder does */
  private ObjectNode run(Consumer<ResponseStreamEvent> out, Consumer<RunEvent> observer) {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("a ResponseCall runs once");
      }
      started = true;
    }
    List<ConversationItem> historyItems = ConversationItems.of(history, historyTokens);
    RunRequest run = new RunRequest(request.model(), request.instructions(), historyItems,
        ConversationItems.of(request.input(), images.tokens()), request.imageSearch(), request.toolChoiceMode(),
        request.maxToolCalls(), request.maxOutputTokens());
    ResponseStreamEncoder encoder = new ResponseStreamEncoder(request, responseId, createdAt, service.clock(), out,
        this::save);
    ResponseRun.execute(backend, run, service.tool().withFetched(images.fetched()), observer.andThen(encoder));
    return encoder.finalResponse();
  }

  /** Stores completed and incomplete responses unless {@code store} is false; never failed ones. */
  private void save(ObjectNode response) {
    if (!request.store() || service.store() == null || response.path("status").asText().equals("failed")) {
      return;
    }
    ArrayNode input = NODES.arrayNode();
    for (ObjectNode item : request.input()) {
      ObjectNode copy = item.deepCopy();
      if (!copy.hasNonNull("id")) {
        // input_items lists items with ids, as OpenAI does; the client sent none.
        ObjectNode withId = NODES.objectNode().put("id", ResponseRun.newId("msg"));
        withId.setAll(copy);
        copy = withId;
      }
      input.add(copy);
    }
    // The conversation (for a later turn's history) keeps each image's tokens; input_items does not.
    Map<String, Integer> tokens = new HashMap<>(historyTokens);
    tokens.putAll(images.tokens());
    ArrayNode conversation = NODES.arrayNode();
    history.forEach(item -> conversation.add(ConversationItems.withStoredTokens(item, tokens)));
    input.forEach(item -> conversation.add(ConversationItems.withStoredTokens((ObjectNode) item, tokens)));
    service.store().save(new StoredResponse(responseId, createdAt, response.toString(), input.toString(),
        conversation.toString()));
  }
}
