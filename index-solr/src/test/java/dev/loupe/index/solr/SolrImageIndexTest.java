package dev.loupe.index.solr;

import dev.loupe.index.ImageIndex;
import dev.loupe.index.ImageIndexContractTestCase;
import dev.loupe.index.TestSignatures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The index contract against a SolrCloud collection on two Solr node JVMs with ZooKeeper: each
 * test's folder becomes its own collection of two shards, so that every query is distributed.
 */
class SolrImageIndexTest extends ImageIndexContractTestCase {
  private static final Map<Path, SolrIndexAddress> COLLECTIONS = new HashMap<>();

  @Override
  protected ImageIndex open(Path dir) throws IOException {
    SolrIndexAddress address = COLLECTIONS.get(dir);
    if (address == null) {
      address = SharedSolrCluster.newCollection("contract");
      COLLECTIONS.put(dir, address);
    }
    // The contract's test signatures have descriptors of their own size.
    return SolrImageIndex.open(address, Set.of(TestSignatures.DIMENSIONS));
  }
}
