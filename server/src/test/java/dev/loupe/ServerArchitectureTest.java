package dev.loupe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the server module's map (docs/architecture.md) true at sub-package granularity (transport
 * {@code server*} over protocols over runs over tools over the engine, and only the transport knows
 * Helidon): which
 * Loupe packages each package of this module may use, counting imports and fully qualified names
 * in code alike (comments are left out). The engine module's {@code ArchitectureTest} keeps the
 * engine's own map.
 *
 * <p>No edge is tolerated: sibling protocols never import each other (Chat Completions and
 * DashScope share {@code protocol.completion}), no protocol reaches into one backend's package,
 * and no route package reaches into another's or back into {@code server}.
 */
class ServerArchitectureTest {
  /** Which Loupe packages (of this module and of the engine) each package of this module may use. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      // The process's metrics: counted into from every layer, knowing only engine value types.
      Map.entry("telemetry", Set.of("index", "ingest", "search")),
      Map.entry("tools", Set.of("engine", "fetch", "image", "index", "search", "ingest", "telemetry")),
      Map.entry("store", Set.of()),
      Map.entry("runs", Set.of("tools", "index", "search", "telemetry")),
      Map.entry("runs.upstream", Set.of("runs", "tools", "search", "telemetry")),
      Map.entry("runs.routing", Set.of("runs", "runs.upstream")),
      Map.entry("protocol.qwen", Set.of("image")),
      // The one failure type every protocol and route throws.
      Map.entry("protocol", Set.of("runs", "tools", "fetch", "image")),
      Map.entry("protocol.responses", Set.of("protocol", "runs", "tools", "store", "protocol.qwen", "fetch", "image")),
      // What the chat-shaped wires share: reading the request, running the turn.
      Map.entry("protocol.completion", Set.of("protocol", "runs", "runs.routing", "tools", "protocol.qwen", "fetch", "image",
          "video", "engine")),
      Map.entry("protocol.chat", Set.of("protocol", "protocol.completion", "runs")),
      Map.entry("protocol.dashscope", Set.of("protocol", "protocol.completion", "runs")),
      Map.entry("protocol.mcp", Set.of("protocol", "tools", "engine", "fetch", "image", "index", "ingest", "search",
          "telemetry")),
      Map.entry("server.http", Set.of("protocol", "fetch", "image", "tools")),
      Map.entry("server.mcp", Set.of("protocol", "server.http", "protocol.mcp", "engine", "tools")),
      Map.entry("server.web", Set.of("protocol", "server.http")),
      Map.entry("server.rest", Set.of("protocol", "server.http", "tools", "engine", "fetch", "image", "index", "search", "ingest",
          "crawl", "telemetry")),
      // Operators' routes: metrics, the API description, keys and usage.
      Map.entry("server.ops", Set.of("protocol", "server.http", "telemetry", "engine", "index", "store")),
      Map.entry("server.responses", Set.of("protocol", "server.http", "protocol.responses", "runs", "store", "tools", "engine")),
      Map.entry("server.chat", Set.of("protocol", "server.http", "protocol.chat", "protocol.completion", "runs.routing",
          "engine")),
      Map.entry("server.dashscope", Set.of("protocol", "server.http", "protocol.dashscope", "protocol.completion",
          "runs.routing", "engine")),
      Map.entry("server", Set.of("protocol", "server.http", "server.rest", "server.web", "server.mcp", "server.ops", "telemetry", "tools",
          "engine", "store")));

  /**
   * Server code reads images only as {@code RemoteImage}s: these names reach the local-file
   * readers, which only the command line may call.
   */
  private static final Pattern LOCAL_READERS = Pattern.compile("\\bImageReference\\b|\\breadLocation\\(|\\bsearchLocation\\(");

  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.loupe\\.([a-z][a-z0-9]*(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  /** Every edge from a package of this module to another Loupe package, as "from -> to". */
  static Map<String, List<String>> edges(Path root) throws IOException {
    Map<String, List<String>> edges = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = root.relativize(file.getParent()).toString().replace('/', '.');
        String code = COMMENTS.matcher(Files.readString(file)).replaceAll("");
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          String to = m.group(1);
          if (!to.equals(from)) {
            edges.computeIfAbsent(from + " -> " + to, k -> new ArrayList<>()).add(root.relativize(file).toString());
          }
        }
      }
    }
    return edges;
  }

  @Test
  void dependenciesPointOneWayBetweenSubPackages() throws IOException {
    Path root = Path.of("src/main/java/dev/loupe");
    Map<String, List<String>> edges = edges(root);
    List<String> violations = new ArrayList<>();
    for (var edge : edges.entrySet()) {
      String[] ends = edge.getKey().split(" -> ");
      Set<String> allowed = ALLOWED.get(ends[0]);
      if (allowed == null) {
        violations.add("package dev.loupe." + ends[0] + " is not on the map (" + edge.getValue().getFirst() + ")");
        continue;
      }
      if (!allowed.contains(ends[1])) {
        violations.add(edge.getKey() + " runs the wrong way (in " + String.join(", ", new TreeSet<>(edge.getValue())) + ")");
      }
    }
    assertEquals(List.of(), violations);
  }

  /** An HTTP status as code writes it: a 4xx or 5xx literal, or a name with "status" in it. */
  private static final Pattern HTTP_STATUS = Pattern.compile("\\b[45][0-9][0-9]\\b|\\b\\w*[sS]tatus\\w*\\b");

  /**
   * The runs layer reports failure kinds ({@code FailureKind}); what a kind answers on the wire is
   * each protocol's business. {@code runs.upstream}, an HTTP client of the model upstream, may read
   * the upstream's statuses.
   */
  @Test
  void theRunsLayerHasNoHttpStatuses() throws IOException {
    Path root = Path.of("src/main/java/dev/loupe");
    List<String> violations = new ArrayList<>();
    for (String part : List.of("runs", "runs/routing", "tools")) {
      try (Stream<Path> files = Files.list(root.resolve(part))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String code = COMMENTS.matcher(Files.readString(file)).replaceAll("").replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
          Matcher m = HTTP_STATUS.matcher(code);
          while (m.find()) {
            violations.add(root.relativize(file) + ": " + m.group());
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void onlyTheTransportKnowsHelidon() throws IOException {
    Path root = Path.of("src/main/java/dev/loupe");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String part = root.relativize(file).getName(0).toString();
        String code = COMMENTS.matcher(Files.readString(file)).replaceAll("");
        if (!part.equals("server") && code.contains("io.helidon.")) {
          violations.add(root.relativize(file) + ": uses Helidon");
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void serverCodeReadsNoLocalFiles() throws IOException {
    Path root = Path.of("src/main/java/dev/loupe");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String code = COMMENTS.matcher(Files.readString(file)).replaceAll("");
        Matcher m = LOCAL_READERS.matcher(code);
        while (m.find()) {
          violations.add(root.relativize(file) + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
