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
 * Keeps the map in docs/architecture.md true: each part imports only the parts to its left, and
 * only the index imports Lucene. Reads the main sources' import lines.
 */
class ArchitectureTest {
  /** Which Loupe packages each package may import (besides itself). */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("image", Set.of()),
      Map.entry("fetch", Set.of()),
      Map.entry("features", Set.of("image")),
      Map.entry("keypoints", Set.of("image", "features")),
      Map.entry("index", Set.of("features")),
      Map.entry("search", Set.of("image", "index", "features", "keypoints")),
      Map.entry("ingest", Set.of("image", "fetch", "features", "keypoints", "index")),
      Map.entry("video", Set.of("image")),
      Map.entry("embed", Set.of("image")),
      Map.entry("models", Set.of("fetch", "embed")),
      Map.entry("crawl", Set.of("image", "fetch", "features", "keypoints", "index", "ingest")),
      Map.entry("engine", Set.of("image", "fetch", "features", "keypoints", "index", "search", "ingest", "embed")));
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void dependenciesPointOneWay() throws IOException {
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
          if (imported.startsWith("org.apache.lucene.") && !part.equals("index")) {
            violations.add(file + ": imports Lucene (" + imported + ")");
          }
          if ((imported.startsWith("ai.onnxruntime.") || imported.startsWith("ai.djl.")) && !part.equals("embed")) {
            violations.add(file + ": imports ONNX Runtime or the tokenizers (" + imported + ")");
          }
          if (imported.startsWith("dev.loupe.")) {
            String other = imported.substring("dev.loupe.".length()).split("\\.")[0];
            if (!other.equals(part) && !allowed.contains(other)) {
              violations.add(file + ": " + part + " imports " + other + " (" + imported + ")");
            }
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
