package dev.loupe.index.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Solr backend imports the index contract, the features it stores and SolrJ: never Lucene
 * (Solr's servers run another Lucene, in their own JVMs) nor the engine's other parts.
 */
class IndexSolrArchitectureTest {
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
  private static final List<String> ALLOWED = List.of("java.", "dev.loupe.index.", "dev.loupe.features.",
      "org.apache.solr.client.solrj.", "org.apache.solr.common.");

  @Test
  void importsOnlyTheContractTheFeaturesAndSolrJ() throws Exception {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String imported = m.group(1);
          if (ALLOWED.stream().noneMatch(imported::startsWith)) {
            violations.add(file.getFileName() + " imports " + imported);
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
