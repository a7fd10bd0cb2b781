package dev.loupe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the server module's layers in order (docs/architecture.md): transport ({@code server})
 * over protocols over runs over tools over the engine; only the transport imports Helidon.
 */
class ServerArchitectureTest {
  /** The server module's parts and the server-module parts each may import. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "tools", Set.of(),
      "store", Set.of(),
      "runs", Set.of("tools"),
      "protocol", Set.of("runs", "tools", "store"),
      "server", Set.of("protocol", "runs", "tools", "store"));
  private static final Set<String> SERVER_PARTS = ALLOWED.keySet();
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void layersPointOneWayAndOnlyTheTransportKnowsHelidon() throws IOException {
    Path root = Path.of("src/main/java/dev/loupe");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String part = root.relativize(file).getName(0).toString();
        Set<String> allowed = ALLOWED.get(part);
        if (allowed == null) {
          violations.add(file + ": package dev.loupe." + part + " is not on the map");
          continue;
        }
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String imported = m.group(1);
          if (imported.startsWith("io.helidon.") && !part.equals("server")) {
            violations.add(file + ": imports Helidon (" + imported + ")");
          }
          if (imported.startsWith("dev.loupe.")) {
            String other = imported.substring("dev.loupe.".length()).split("\\.")[0];
            if (SERVER_PARTS.contains(other) && !other.equals(part) && !allowed.contains(other)) {
              violations.add(file + ": " + part + " imports " + other + " (" + imported + ")");
            }
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
