package dev.loupe.engine;

import dev.loupe.index.solr.SharedSolrCluster;
import dev.loupe.index.solr.SolrImageIndex;
import dev.loupe.index.solr.SolrIndexAddress;
import java.io.IOException;
import java.nio.file.Path;

/** The search round trip, unchanged, with each data directory's index a collection on a SolrCloud cluster. */
class SolrSearchRoundTripTest extends SearchRoundTripTest {
  @Override
  protected LoupeConfig config(Path dataDir) throws IOException {
    SolrIndexAddress address = SharedSolrCluster.newCollection("roundtrip");
    return LoupeConfig.defaults(dataDir).withIndex(data -> SolrImageIndex.open(address));
  }
}
