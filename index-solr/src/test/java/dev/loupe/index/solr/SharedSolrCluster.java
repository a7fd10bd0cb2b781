package dev.loupe.index.solr;

import dev.loupe.solrnode.LocalSolrCluster;
import java.io.IOException;
import java.nio.file.Files;

/**
 * One local SolrCloud cluster (ZooKeeper and two Solr node JVMs) shared by the test classes that
 * only need collections on it, started by the first that asks and stopped when the test JVM exits.
 * Tests that kill nodes start their own.
 */
public final class SharedSolrCluster {
  private static LocalSolrCluster cluster;
  private static int collections;

  private SharedSolrCluster() {}

  /** The address of a new collection of two shards, one replica each (a query spans both nodes). */
  public static synchronized SolrIndexAddress newCollection(String prefix) throws IOException {
    return SolrIndexAddress.parse(cluster().indexAddress(prefix + (++collections)) + "?shards=2&replicas=1");
  }

  /** The same collection reached through ZooKeeper ({@code solr+zk://}). */
  public static synchronized SolrIndexAddress throughZooKeeper(SolrIndexAddress address) throws IOException {
    return SolrIndexAddress.parse("solr+zk://" + cluster().zkAddress() + "/" + address.collection());
  }

  private static LocalSolrCluster cluster() throws IOException {
    if (cluster == null) {
      cluster = LocalSolrCluster.start(Files.createTempDirectory("loupe-solr-shared"), 2);
    }
    return cluster;
  }
}
