package dev.loupe.runs.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat-completions server on loopback that answers from a script: each
 * request to {@code /v1/chat/completions} gets the next {@link Reply}, in the real wire format
 * (streamed {@code data: {chunk}} events, then {@code data: [DONE]}). It keeps every request body
 * and its headers for assertions. Public because the server tests use it too.
 */
public final class ScriptedUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** One scripted answer. */
  @FunctionalInterface
  public interface Reply {
    void send(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<JsonNode> requests = new ArrayList<>();
  private final List<Headers> headers = new ArrayList<>();

  public ScriptedUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "scripted-upstream-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.createContext("/v1/chat/completions", exchange -> {
      Reply reply;
      synchronized (this) {
        requests.add(JSON.readTree(exchange.getRequestBody()));
        headers.add(exchange.getRequestHeaders());
        reply = script.poll();
      }
      try {
        if (reply == null) {
          status(500, "{\"error\":{\"message\":\"the script has no more replies\"}}").send(exchange);
        } else {
          reply.send(exchange);
        }
      } catch (IOException e) {
        // the client went away (a timeout test): nothing to do
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  /** Queues replies, answered in order. */
  public synchronized ScriptedUpstream then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** {@code http://127.0.0.1:{port}/v1}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  public synchronized List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  public synchronized List<Headers> headers() {
    return List.copyOf(headers);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** A streamed completion: each chunk as one {@code data:} event, flushed, then {@code [DONE]}. */
  public static Reply sse(String... chunks) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (String chunk : chunks) {
        out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    };
  }

  /** Chunks, then silence for {@code millis} before the connection closes, with no {@code [DONE]}. */
  public static Reply stall(long millis, String... chunks) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (String chunk : chunks) {
        out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      sleep(millis);
    };
  }

  /** No answer at all for {@code millis}, then a normal one. */
  public static Reply slow(long millis, Reply then) {
    return exchange -> {
      sleep(millis);
      then.send(exchange);
    };
  }

  /** An HTTP error with a JSON body. */
  public static Reply status(int status, String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  /** A chunk with a text delta. */
  public static String text(String delta) {
    ObjectNode chunk = chunk();
    chunk.putArray("choices").addObject().put("index", 0).put("finish_reason", (String) null)
        .putObject("delta").put("content", delta);
    return chunk.toString();
  }

  /** A chunk with a thinking delta, as DashScope and vLLM's reasoning parsers send it. */
  public static String reasoning(String delta) {
    ObjectNode chunk = chunk();
    ObjectNode d = chunk.putArray("choices").addObject().put("index", 0).put("finish_reason", (String) null)
        .putObject("delta");
    d.putNull("content");
    d.put("reasoning_content", delta);
    return chunk.toString();
  }

  /** The first chunk of a round: the assistant role and empty content, as vLLM sends it. */
  public static String role() {
    ObjectNode chunk = chunk();
    chunk.putArray("choices").addObject().put("index", 0).put("finish_reason", (String) null)
        .putObject("delta").put("role", "assistant").put("content", "");
    return chunk.toString();
  }

  /** A tool-call fragment: id and name are left out when null. */
  public static String toolCall(int index, String id, String name, String arguments) {
    ObjectNode chunk = chunk();
    ObjectNode call = chunk.putArray("choices").addObject().put("index", 0).put("finish_reason", (String) null)
        .putObject("delta").putArray("tool_calls").addObject().put("index", index);
    if (id != null) {
      call.put("id", id).put("type", "function");
    }
    ObjectNode function = call.putObject("function");
    if (name != null) {
      function.put("name", name);
    }
    function.put("arguments", arguments);
    return chunk.toString();
  }

  /** The chunk that ends a round. */
  public static String finish(String reason) {
    ObjectNode chunk = chunk();
    chunk.putArray("choices").addObject().put("index", 0).put("finish_reason", reason).putObject("delta");
    return chunk.toString();
  }

  /** The usage chunk that {@code stream_options.include_usage} asks for: {@code "choices": []}. */
  public static String usage(int prompt, int completion) {
    ObjectNode chunk = chunk();
    chunk.putArray("choices");
    chunk.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
    return chunk.toString();
  }

  private static ObjectNode chunk() {
    return NODES.objectNode().put("id", "chatcmpl-scripted").put("object", "chat.completion.chunk")
        .put("created", 1763700000).put("model", "scripted").putNull("system_fingerprint");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
