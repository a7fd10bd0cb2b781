package dev.loupe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;
import dev.loupe.server.http.RequestBody;
import dev.loupe.server.http.ErrorEnvelope;
import dev.loupe.server.http.RootService;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/local/commands}: runs a {@code loupe} command for another {@code loupe} process on
 * the same data directory ({@link RemoteCommand}), inside the server that holds the index open, so
 * that its answer is the one the command gives on its own. Only the owner may call it: the request
 * carries the token of {@link ServerFile} in {@value #TOKEN_HEADER}; anyone else gets a 403.
 *
 * <p>Request: {@code {"args": ["index", "--data=/abs/dir", "/abs/photos"], "terminal": true}}.
 * Response: {@code application/x-ndjson}, one frame per flush of the command's output, in order,
 * {@code {"out": text}} or {@code {"err": text}}, then {@code {"exit": code}}.
 */
final class CommandService implements RootService {
  static final String PATH = "/v1/local/commands";
  static final String TOKEN_HEADER = "X-Loupe-Owner-Token";
  /** Commands another process may run here; the others open no index or hold the terminal. */
  static final Set<String> COMMANDS = Set.of("index", "search", "stats", "delete", "list", "export");
  private static final int MAX_REQUEST_BYTES = 1 << 20;

  private final byte[] token;

  CommandService(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post(PATH, this::run);
  }

  @Override
  public String root() {
    return PATH + "/";
  }

  /** Failures in the OpenAI envelope, as the server's other /v1 routes. */
  @Override
  public ErrorEnvelope envelope() {
    return ErrorEnvelope.OPENAI;
  }

  private void run(ServerRequest request, ServerResponse response) throws IOException {
    String presented = request.headers().first(HeaderNames.create(TOKEN_HEADER)).orElse("");
    if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(403, "invalid_request_error", "forbidden", null,
          "Only loupe commands with the data directory's owner token may run commands here.");
    }
    ObjectNode body = RequestBody.parseJsonObject(RequestBody.read(request, MAX_REQUEST_BYTES));
    List<String> args = new ArrayList<>();
    for (JsonNode arg : body.path("args")) {
      args.add(arg.asText());
    }
    if (args.isEmpty() || !COMMANDS.contains(args.getFirst())) {
      throw ApiException.invalidValue("args", "args must start with one of " + COMMANDS + ", got: " + args);
    }
    boolean terminal = body.path("terminal").asBoolean(false);
    response.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
    try (OutputStream stream = response.outputStream()) {
      Frames frames = new Frames(stream);
      PrintWriter out = new PrintWriter(frames.writer("out"), true);
      PrintWriter err = new PrintWriter(frames.writer("err"), true);
      int code = Terminal.as(terminal, () -> Main.runHere(out, err, args.toArray(String[]::new)));
      out.flush();
      err.flush();
      frames.send("exit", code);
    }
  }

  /** Writes NDJSON frames to the response, one at a time. */
  private static final class Frames {
    private final OutputStream stream;

    Frames(OutputStream stream) {
      this.stream = stream;
    }

    synchronized void send(String name, Object value) {
      ObjectNode frame = HitJson.MAPPER.createObjectNode();
      frame.set(name, HitJson.MAPPER.valueToTree(value));
      try {
        stream.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
        stream.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("the client went away", e);
      }
    }

    Writer writer(String name) {
      return new Writer() {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public void write(char[] chars, int off, int len) {
          synchronized (buffer) {
            buffer.append(chars, off, len);
          }
        }

        @Override
        public void flush() {
          String text;
          synchronized (buffer) {
            text = buffer.toString();
            buffer.setLength(0);
          }
          if (!text.isEmpty()) {
            send(name, text);
          }
        }

        @Override
        public void close() {
          flush();
        }
      };
    }
  }
}
