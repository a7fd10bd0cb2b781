package dev.loupe.index.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SolrIndexAddressTest {
  @Test
  void nodesWithCollectionAndCreationParameters() {
    SolrIndexAddress a = SolrIndexAddress.parse("solr://127.0.0.1:8983,10.0.0.2:7574/images?shards=4&replicas=2&timeout=5");
    assertEquals(List.of("127.0.0.1:8983", "10.0.0.2:7574"), a.hosts());
    assertFalse(a.zooKeeper());
    assertEquals("images", a.collection());
    assertEquals(4, a.shards());
    assertEquals(2, a.replicas());
    assertEquals(Duration.ofSeconds(5), a.timeout());
    assertEquals(List.of("http://127.0.0.1:8983/solr", "http://10.0.0.2:7574/solr"), a.nodeUrls());
    assertEquals("solr://127.0.0.1:8983,10.0.0.2:7574/images?shards=4&replicas=2&timeout=5", a.toString());
  }

  @Test
  void zooKeeperWithChroot() {
    SolrIndexAddress a = SolrIndexAddress.parse("solr+zk://zk1:2181,zk2:2181/solr/images");
    assertTrue(a.zooKeeper());
    assertEquals(Optional.of("/solr"), a.chroot());
    assertEquals("images", a.collection());
    assertEquals(null, a.shards());
    assertEquals(SolrIndexAddress.DEFAULT_TIMEOUT, a.timeout());
    assertEquals("solr+zk://zk1:2181,zk2:2181/solr/images", a.toString());
    assertEquals(Optional.empty(), SolrIndexAddress.parse("solr+zk://zk1:2181/images").chroot());
  }

  @Test
  void malformedAddressesSayWhatIsWrong() {
    assertInvalid("http://127.0.0.1:8983/images",
        "invalid Solr index address http://127.0.0.1:8983/images: it must start with solr:// (Solr nodes) or "
            + "solr+zk:// (ZooKeeper)");
    assertInvalid("solr://127.0.0.1:8983",
        "invalid Solr index address solr://127.0.0.1:8983: no collection: add /COLLECTION after the hosts");
    assertInvalid("solr://127.0.0.1:8983/",
        "invalid Solr index address solr://127.0.0.1:8983/: no collection: add /COLLECTION after the hosts");
    assertInvalid("solr://127.0.0.1/images",
        "invalid Solr index address solr://127.0.0.1/images: hosts are HOST:PORT with a port from 1 to 65535, got: "
            + "'127.0.0.1'");
    assertInvalid("solr://127.0.0.1:99999/images",
        "invalid Solr index address solr://127.0.0.1:99999/images: hosts are HOST:PORT with a port from 1 to 65535, "
            + "got: '127.0.0.1:99999'");
    assertInvalid("solr://a:1,,b:2/images", "invalid Solr index address solr://a:1,,b:2/images: empty host in the host list");
    assertInvalid("solr://user@a:1/images",
        "invalid Solr index address solr://user@a:1/images: hosts are HOST:PORT with a port from 1 to 65535, got: "
            + "'user@a:1'");
    assertInvalid("solr://a:1/x/images", "invalid Solr index address solr://a:1/x/images: a solr:// address is "
        + "HOSTS/COLLECTION (a path before the collection is for solr+zk:// chroots)");
    assertInvalid("solr://a:1/images?shard=2",
        "invalid Solr index address solr://a:1/images?shard=2: unknown parameter 'shard' (known: shards, replicas, timeout)");
    assertInvalid("solr://a:1/images?shards=two",
        "invalid Solr index address solr://a:1/images?shards=two: shards must be a whole number, got: 'two'");
    assertInvalid("solr://a:1/images?replicas=0",
        "invalid Solr index address solr://a:1/images?replicas=0: replicas must be between 1 and 16, got: 0");
    assertInvalid("solr://a:1/im ages", "invalid Solr index address solr://a:1/im ages: collection names are letters, "
        + "digits, '.', '_' and '-' (starting with a letter or digit, at most 100), got: 'im ages'");
  }

  private static void assertInvalid(String address, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SolrIndexAddress.parse(address));
    assertEquals(message, e.getMessage());
  }
}
