package dev.loupe.solrnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two node JVMs and ZooKeeper come up, and nodes and ZooKeeper survive being killed and restarted. */
class LocalSolrClusterTest {
  @TempDir Path dir;

  @Test
  void nodesStartDieAndComeBackOnTheirPorts() throws Exception {
    try (LocalSolrCluster cluster = LocalSolrCluster.start(dir, 2)) {
      List<String> urls = cluster.nodeUrls();
      assertEquals(2, urls.size());
      assertTrue(liveNodes(urls.get(0)).contains(nodeName(urls.get(1))), "node 2 is live");
      assertTrue(cluster.indexAddress("images").matches("solr://127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+/images"),
          cluster.indexAddress("images"));

      cluster.killNode(1);
      assertFalse(cluster.nodeAlive(1));
      cluster.restartNode(1);
      assertTrue(cluster.nodeAlive(1));
      assertEquals(urls, cluster.nodeUrls());
      assertTrue(liveNodes(urls.get(0)).contains(nodeName(urls.get(1))), "node 2 is live again");

      cluster.stopZooKeeper();
      cluster.startZooKeeper();
      assertTrue(cluster.nodeAlive(0) && cluster.nodeAlive(1));
    }
  }

  private static String nodeName(String url) {
    return URI.create(url).getAuthority() + "_solr";
  }

  private static String liveNodes(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url + "/admin/collections?action=CLUSTERSTATUS&wt=json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }
}
