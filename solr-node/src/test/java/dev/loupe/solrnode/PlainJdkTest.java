package dev.loupe.solrnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The classes other modules load (the cluster and its command) import only the JDK: those modules
 * keep Lucene 10 on their class path, and Solr's Lucene 9 must never join it.
 */
class PlainJdkTest {
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void theClusterAndItsCommandImportOnlyTheJdk() throws Exception {
    for (String name : List.of("LocalSolrCluster", "SolrClusterCommand")) {
      String source = Files.readString(Path.of("src/main/java/dev/loupe/solrnode/" + name + ".java"));
      Matcher m = IMPORT.matcher(source);
      while (m.find()) {
        assertEquals(true, m.group(1).startsWith("java."), name + " imports " + m.group(1));
      }
    }
  }
}
