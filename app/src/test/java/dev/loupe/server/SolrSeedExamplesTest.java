package dev.loupe.server;

import dev.loupe.app.SolrTestCluster;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.index.solr.SolrImageIndex;
import dev.loupe.index.solr.SolrIndexAddress;
import java.io.IOException;
import java.nio.file.Path;

/** The published image_search examples, unchanged, against a server whose index is a SolrCloud collection. */
class SolrSeedExamplesTest extends SeedExamplesTest {
  @Override
  LoupeConfig config(Path dataDir) throws IOException {
    SolrIndexAddress address = SolrIndexAddress.parse(SolrTestCluster.newCollection("seed"));
    return LoupeConfig.defaults(dataDir).withIndex(data -> SolrImageIndex.open(address));
  }
}
