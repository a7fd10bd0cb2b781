package dev.loupe.app;

import dev.loupe.solrnode.LocalSolrCluster;
import java.io.IOException;
import java.nio.file.Files;

/**
 * One local SolrCloud cluster (ZooKeeper and two Solr node JVMs) for the app's tests of the Solr
 * backend, started by the first test that asks and stopped when the test JVM exits.
 */
public final class SolrTestCluster {
  private static LocalSolrCluster cluster;
  private static int collections;

  private SolrTestCluster() {}

  /** The {@code --index} address of a new collection on the shared cluster. */
  public static synchronized String newCollection(String prefix) throws IOException {
    if (cluster == null) {
      cluster = LocalSolrCluster.start(Files.createTempDirectory("loupe-solr-app"), 2);
    }
    return cluster.indexAddress(prefix + (++collections));
  }
}
