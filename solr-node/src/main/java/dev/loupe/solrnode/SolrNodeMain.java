package dev.loupe.solrnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * One SolrCloud node in its own JVM, listening on 127.0.0.1: {@code --home DIR --port P --zk HOST:PORT}.
 * Started by {@link LocalSolrCluster}; stops cleanly on SIGTERM.
 *
 * <p>Queries may have up to 32,768 clauses ({@code maxBooleanClauses}): a visual-word vote of
 * the Solr index is one clause per looked-up word (docs/index-solr.md).
 *
 * <p>Configset upload over HTTP is enabled ({@code configset.upload.enabled}): Loupe uploads its own
 * configset from the client side, so no one needs ZooKeeper's command line tools.
 */
public final class SolrNodeMain {
  private static final String SOLR_XML = """
      <?xml version="1.0" encoding="UTF-8" ?>
      <solr>
        <int name="maxBooleanClauses">${solr.max.booleanClauses:32768}</int>
        <solrcloud>
          <str name="host">127.0.0.1</str>
          <int name="hostPort">${hostPort}</int>
          <str name="hostContext">/solr</str>
          <str name="zkHost">${zkHost}</str>
          <int name="zkClientTimeout">${zkClientTimeout:15000}</int>
          <bool name="genericCoreNodeNames">true</bool>
        </solrcloud>
        <shardHandlerFactory name="shardHandlerFactory" class="HttpShardHandlerFactory">
          <int name="socketTimeout">${socketTimeout:60000}</int>
          <int name="connTimeout">${connTimeout:5000}</int>
        </shardHandlerFactory>
      </solr>
      """;

  private SolrNodeMain() {}

  public static void main(String[] args) throws Exception {
    Path home = null;
    int port = -1;
    String zk = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--home" -> home = Path.of(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--zk" -> zk = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (home == null || port <= 0 || zk == null) {
      throw new IllegalArgumentException("usage: SolrNodeMain --home DIR --port P --zk HOST:PORT");
    }
    Files.createDirectories(home);
    Files.writeString(home.resolve("solr.xml"), SOLR_XML);
    System.setProperty("configset.upload.enabled", "true");
    System.setProperty("solr.log.dir", home.resolve("logs").toString());
    Properties props = new Properties();
    props.setProperty("zkHost", zk);
    props.setProperty("hostPort", Integer.toString(port));
    JettySolrRunner node = new JettySolrRunner(home.toString(), props,
        JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(true).build());
    node.start();
    System.out.println("solr node " + node.getNodeName() + " started on " + node.getBaseUrl());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.stop();
      } catch (Exception e) {
        e.printStackTrace();
      }
      stopped.countDown();
    }));
    stopped.await();
  }
}
