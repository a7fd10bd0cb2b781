package dev.loupe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.DataDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Runs {@code index}, {@code search}, {@code stats}, {@code delete}, {@code list} and {@code export}
 * through the {@code loupe serve} that holds the data directory open, when there is one
 * ({@link ServerFile}): the server runs the same command on its engine ({@link CommandService}) and
 * streams its output back, so the answer is the one the command gives on its own.
 *
 * <p>The server's working directory is not this process's: arguments naming an existing file or
 * folder are sent as absolute paths, and the data directory is sent explicitly. When no server runs
 * (no file, a stale file, or it does not answer), the command runs here.
 */
final class RemoteCommand {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private RemoteCommand() {}

  /** The exit code of {@code args} run by the data directory's server, or empty to run it here. */
  static OptionalInt tryRun(PrintWriter out, PrintWriter err, String... args) {
    if (args.length == 0 || !CommandService.COMMANDS.contains(args[0])) {
      return OptionalInt.empty();
    }
    Path given = null;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
        return OptionalInt.empty();
      }
      if (arg.equals("--data") && i + 1 < args.length) {
        given = Path.of(args[i + 1]);
      } else if (arg.startsWith("--data=")) {
        given = Path.of(arg.substring("--data=".length()));
      }
    }
    Path dataDir;
    try {
      dataDir = DataDirectory.resolve(given, System.getenv()).toAbsolutePath().normalize();
    } catch (IllegalStateException | InvalidPathException e) {
      return OptionalInt.empty(); // The command itself reports it.
    }
    var server = ServerFile.read(dataDir);
    if (server.isEmpty()) {
      return OptionalInt.empty();
    }
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    ArrayNode sent = body.putArray("args");
    sent.add(args[0]);
    sent.add("--data=" + dataDir);
    for (String arg : absolute(args)) {
      sent.add(arg);
    }
    body.put("terminal", Terminal.interactive());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.get().url() + CommandService.PATH))
        .header("Content-Type", "application/json")
        .header(CommandService.TOKEN_HEADER, server.get().token())
        .header("Authorization", "Bearer " + server.get().token())
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<InputStream> response;
    try {
      response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      return OptionalInt.empty(); // Not listening (any more): run here.
    } catch (IOException e) {
      err.println("loupe: the server at " + server.get().url() + " holding " + dataDir + " failed: " + e.getMessage());
      return OptionalInt.of(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.of(130);
    }
    try (BufferedReader frames = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() != 200) {
        String text = frames.lines().reduce("", String::concat);
        err.println("loupe: the server at " + server.get().url() + " holding " + dataDir + " answered "
            + response.statusCode() + ": " + HitJson.MAPPER.readTree(text).path("error").path("message").asText(text));
        return OptionalInt.of(1);
      }
      for (String line; (line = frames.readLine()) != null; ) {
        JsonNode frame = HitJson.MAPPER.readTree(line);
        if (frame.has("out")) {
          out.print(frame.get("out").asText());
          out.flush();
        } else if (frame.has("err")) {
          err.print(frame.get("err").asText());
          err.flush();
        } else if (frame.has("exit")) {
          return OptionalInt.of(frame.get("exit").asInt());
        }
      }
      err.println("loupe: the server at " + server.get().url() + " stopped before the command finished");
      return OptionalInt.of(1);
    } catch (IOException e) {
      err.println("loupe: the server at " + server.get().url() + " stopped before the command finished: " + e.getMessage());
      return OptionalInt.of(1);
    }
  }

  /** The arguments after the command, with those naming an existing file or folder made absolute. */
  private static List<String> absolute(String[] args) {
    List<String> result = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--data=") || (i > 1 && args[i - 1].equals("--data")) || arg.equals("--data")) {
        continue; // Sent once, resolved, first.
      }
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      String value = eq > 0 ? arg.substring(eq + 1) : arg;
      String path = existingPath(value);
      result.add(path == null ? arg : eq > 0 ? arg.substring(0, eq + 1) + path : path);
    }
    return result;
  }

  private static String existingPath(String value) {
    if (value.isEmpty() || value.startsWith("-") || value.contains("://") || value.startsWith("data:")) {
      return null;
    }
    try {
      Path path = Path.of(value);
      return !path.isAbsolute() && Files.exists(path) ? path.toAbsolutePath().normalize().toString() : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
