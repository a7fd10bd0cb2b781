package dev.loupe.index.solr;

import dev.loupe.index.ImageIndex;
import dev.loupe.index.ImageIndexContractTestCase;
import dev.loupe.index.TestSignatures;
import dev.loupe.solrnode.LocalSolrCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The index contract against a SolrCloud collection on two Solr node JVMs with ZooKeeper: each
 * test's folder becomes its own collection of two shards, so that every query is distributed.
 */
class SolrImageIndexTest extends ImageIndexContractTestCase {
  private static Path clusterDir;
  private static LocalSolrCluster cluster;
  private static final Map<Path, String> COLLECTIONS = new HashMap<>();

  @BeforeAll
  static void startCluster() throws IOException {
    clusterDir = Files.createTempDirectory("loupe-solr-contract");
    cluster = LocalSolrCluster.start(clusterDir, 2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected ImageIndex open(Path dir) throws IOException {
    String collection = COLLECTIONS.computeIfAbsent(dir, d -> "contract" + (COLLECTIONS.size() + 1));
    // The contract's test signatures have descriptors of their own size.
    return SolrImageIndex.open(SolrIndexAddress.parse(cluster.indexAddress(collection) + "?shards=2&replicas=1"),
        Set.of(TestSignatures.DIMENSIONS));
  }
}
