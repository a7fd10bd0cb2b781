package dev.loupe.index.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.ImageSignature;
import dev.loupe.index.Candidate;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.Occurrence;
import dev.loupe.index.TestSignatures;
import dev.loupe.solrnode.LocalSolrCluster;
import dev.loupe.testing.TestSeed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Losing a node, and losing ZooKeeper, under load: two Solr node JVMs, a collection of 2 shards x 2
 * replicas (each node holds a replica of each shard), one thread writing and two searching. The
 * node is lost first, on a fresh cluster; ZooKeeper last, since a Solr node can take a while to
 * rejoin its shard's leader election after a ZooKeeper outage longer than its session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrNodeLossTest {
  private static final long SEED = TestSeed.value();
  private static final Instant T0 = Instant.parse("2024-04-03T10:00:00Z");
  private static final ImageMetadata META = new ImageMetadata("jpeg", 640, 480, new byte[] {1, 2, 3});
  @TempDir static Path dir;
  private static LocalSolrCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = LocalSolrCluster.start(dir, 2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static SolrImageIndex open(String collection, int timeoutSeconds) throws IOException {
    return SolrImageIndex.open(SolrIndexAddress.parse(cluster.indexAddress(collection) + "?shards=2&replicas=2&timeout="
        + timeoutSeconds), Set.of(TestSignatures.DIMENSIONS));
  }

  private static List<ImageSignature> preload(SolrImageIndex index, TestSignatures gen, int n) throws IOException {
    List<ImageSignature> sigs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ImageSignature sig = gen.randomSignature();
      sigs.add(sig);
      index.add(sig, META, Occurrence.of("/preload/" + i + ".jpg", null, null, "preloaded " + i, T0));
    }
    index.commit();
    return sigs;
  }

  /** Whether the search finds {@code sig}'s image: by its hash exactly, and as its own nearest descriptor. */
  private static boolean finds(SolrImageIndex index, ImageSignature sig) throws IOException {
    List<Candidate> byHash = index.withinDistance(List.of(sig.hash()), 0, 0, IndexFilter.NONE, 5);
    List<Candidate> nearest = index.nearest(sig.descriptor(), 3, IndexFilter.NONE);
    return byHash.size() == 1 && byHash.getFirst().image().signature().pixelKey().equals(sig.pixelKey())
        && !nearest.isEmpty() && nearest.getFirst().image().signature().pixelKey().equals(sig.pixelKey());
  }

  @Test
  @Order(1)
  void killingANodeFailsNoQueryAndLosesNoAcknowledgedWrite() throws Exception {
    TestSignatures gen = new TestSignatures(SEED);
    try (SolrImageIndex index = open("nodeloss", 90)) {
      List<ImageSignature> preloaded = preload(index, gen, 200);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger queries = new AtomicInteger();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<ImageSignature> acknowledged = Collections.synchronizedList(new ArrayList<>());
      TestSignatures writes = new TestSignatures(SEED + 1);
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; running.get(); i++) {
            ImageSignature sig = writes.randomSignature();
            index.add(sig, META, Occurrence.of("/load/" + i + ".jpg", null, null, "written " + i, T0.plusSeconds(i)));
            acknowledged.add(sig);
            if (i % 25 == 24) {
              index.commit();
            }
          }
        } catch (IOException | RuntimeException e) {
          failures.add("write: " + e);
        }
      });
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        Random random = new Random(SEED + 10 + r);
        readers.add(new Thread(() -> {
          while (running.get()) {
            ImageSignature sig = preloaded.get(random.nextInt(preloaded.size()));
            try {
              if (!finds(index, sig)) {
                failures.add("query: incomplete results for " + sig.pixelKey());
              }
            } catch (IOException | RuntimeException e) {
              failures.add("query: " + e);
            }
            queries.incrementAndGet();
          }
        }));
      }
      writer.start();
      readers.forEach(Thread::start);
      Thread.sleep(3000);
      int before = queries.get();
      cluster.killNode(1);
      Thread.sleep(8000);
      int whileDown = queries.get() - before;
      cluster.restartNode(1);
      Thread.sleep(3000);
      running.set(false);
      writer.join(120_000);
      for (Thread reader : readers) {
        reader.join(120_000);
      }
      assertEquals(List.of(), List.copyOf(failures), "seed " + SEED);
      assertTrue(whileDown > 0, "queries answered while the node was down: " + whileDown);
      index.commit();

      awaitAllReplicasActive("nodeloss");
      int expected = preloaded.size() + acknowledged.size();
      assertEquals(expected, index.stats().images(), "every acknowledged write is there");
      for (ImageSignature sig : acknowledged) {
        assertTrue(index.imageByPixelKey(sig.pixelKey()).isPresent(), "acknowledged write " + sig.pixelKey());
      }
      for (int i = 0; i < acknowledged.size(); i += 10) {
        assertTrue(finds(index, acknowledged.get(i)), "searchable: " + acknowledged.get(i).pixelKey());
      }
      // Full results once the node is back: both replicas of each shard hold the same documents.
      Map<String, List<Long>> counts = replicaCounts("nodeloss");
      long total = 0;
      for (List<Long> replicas : counts.values()) {
        assertEquals(2, replicas.size(), counts.toString());
        assertEquals(replicas.get(0), replicas.get(1), "replicas agree: " + counts);
        total += replicas.get(0);
      }
      assertEquals(expected, total, counts.toString());
      System.out.printf("node loss: %d queries, %d while the node was down, %d acknowledged writes%n", queries.get(),
          whileDown, acknowledged.size());
    }
  }

  @Test
  @Order(2)
  void withoutZooKeeperQueriesAnswerWritesFailClearlyAndThenResume() throws Exception {
    TestSignatures gen = new TestSignatures(SEED + 2);
    try (SolrImageIndex index = open("zkloss", 4)) {
      List<ImageSignature> preloaded = preload(index, gen, 50);
      cluster.stopZooKeeper();
      int accepted = 0;
      try {
        // Solr keeps taking updates while its ZooKeeper session may still be alive (the session
        // timeout, 15 s here), then refuses them; queries are answered all along.
        long deadline = System.nanoTime() + 60_000_000_000L;
        IOException refusal = null;
        for (int i = 0; refusal == null; i++) {
          for (ImageSignature sig : preloaded.subList(0, 5)) {
            assertTrue(finds(index, sig), "query without ZooKeeper: " + sig.pixelKey());
          }
          try {
            index.add(gen.randomSignature(), META, Occurrence.of("/during/" + i + ".jpg", null, null, "during", T0));
            accepted++;
          } catch (IOException e) {
            refusal = e;
          }
          assertTrue(System.nanoTime() < deadline, "writes still accepted 60 s after ZooKeeper stopped");
        }
        assertTrue(refusal.getMessage().matches("Solr collection zkloss: (get|write) \\w+ failed for 4 s \\(the cluster "
            + "may be down or without ZooKeeper\\): .*"), refusal.getMessage());
        for (ImageSignature sig : preloaded.subList(5, 15)) {
          assertTrue(finds(index, sig), "query while writes are refused: " + sig.pixelKey());
        }
      } finally {
        cluster.startZooKeeper();
      }
      // Writes resume once the nodes have re-registered with ZooKeeper and every shard has a leader.
      awaitAllReplicasActive("zkloss");
      ImageSignature later = gen.randomSignature();
      // The client may still count both nodes out (it checks them again within a minute).
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (true) {
        try {
          index.add(later, META, Occurrence.of("/later.jpg", null, null, "later", T0));
          index.commit();
          break;
        } catch (IOException notYet) {
          if (System.nanoTime() > deadline) {
            throw notYet;
          }
        }
      }
      assertTrue(finds(index, later));
      assertEquals(preloaded.size() + accepted + 1, index.stats().images());
    }
  }

  private static void awaitAllReplicasActive(String collection) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    try (CloudHttp2SolrClient client = new CloudHttp2SolrClient.Builder(cluster.nodeUrls()).build()) {
      DocCollection state = null;
      Exception last = null;
      while (true) {
        try {
          // The nodes answer only once they are back in touch with ZooKeeper.
          CollectionAdminRequest.getClusterStatus().process(client);
          state = client.getClusterStateProvider().getCollection(collection);
          Set<String> live = client.getClusterStateProvider().getLiveNodes();
          if (state != null && state.getReplicas().stream().allMatch(r -> r.isActive(live))
              && state.getReplicas().size() == 4) {
            return;
          }
        } catch (RuntimeException | org.apache.solr.client.solrj.SolrServerException | IOException notYet) {
          last = notYet;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("replicas not active after 120 s: " + state, last);
        }
        Thread.sleep(500);
      }
    }
  }

  /** Documents per replica, by shard, each replica asked on its own (not distributed). */
  private static Map<String, List<Long>> replicaCounts(String collection) throws Exception {
    Map<String, List<Long>> out = new TreeMap<>();
    try (CloudHttp2SolrClient cloud = new CloudHttp2SolrClient.Builder(cluster.nodeUrls()).build();
        Http2SolrClient http = new Http2SolrClient.Builder().build()) {
      for (Slice slice : cloud.getClusterStateProvider().getCollection(collection).getSlices()) {
        for (Replica replica : slice.getReplicas()) {
          SolrQuery query = new SolrQuery("*:*").setRows(0);
          query.set("distrib", false);
          long n = http.requestWithBaseUrl(replica.getBaseUrl(), replica.getCoreName(), new QueryRequest(query))
              .getResults().getNumFound();
          out.computeIfAbsent(slice.getName(), s -> new ArrayList<>()).add(n);
        }
      }
    }
    return out;
  }
}
