package dev.loupe.index.solr;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a SolrCloud collection of images is: {@code solr://HOST:PORT[,HOST:PORT...]/COLLECTION} (Solr
 * nodes, context {@code /solr}) or {@code solr+zk://HOST:PORT[,HOST:PORT...][/CHROOT]/COLLECTION}
 * (ZooKeeper), optionally followed by {@code ?shards=N&replicas=M}: how to create the collection
 * when it does not exist yet (default 2 shards, 2 replicas; 1 replica on a single node), and
 * {@code timeout=SECONDS}: how long a request is retried while the cluster recovers (default 30).
 *
 * @param hosts {@code host:port} of the Solr nodes or of ZooKeeper, at least one
 * @param zooKeeper whether {@code hosts} are ZooKeeper's
 * @param chroot ZooKeeper's chroot ({@code /solr}, say), or empty
 * @param collection the collection's name
 * @param shards shards of a collection created by Loupe, or null for the default
 * @param replicas replicas per shard of a collection created by Loupe, or null for the default
 * @param timeout how long a failing request is retried (a node down, a leader being elected)
 */
public record SolrIndexAddress(List<String> hosts, boolean zooKeeper, Optional<String> chroot, String collection,
    Integer shards, Integer replicas, java.time.Duration timeout) {
  /** Requests are retried this long by default. */
  public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofSeconds(30);

  public SolrIndexAddress {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.toSeconds() > 3600) {
      throw new IllegalArgumentException("timeout must be between 0 and 3600 seconds, got: " + timeout.toSeconds());
    }
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a Solr index address needs at least one host");
    }
    if (!collection.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("collection names are letters, digits, '.', '_' and '-' (starting with a "
          + "letter or digit, at most 100), got: '" + collection + "'");
    }
    if (shards != null && (shards < 1 || shards > 1024)) {
      throw new IllegalArgumentException("shards must be between 1 and 1024, got: " + shards);
    }
    if (replicas != null && (replicas < 1 || replicas > 16)) {
      throw new IllegalArgumentException("replicas must be between 1 and 16, got: " + replicas);
    }
  }

  /**
   * Parses an address.
   *
   * @throws IllegalArgumentException naming the address and what is wrong with it
   */
  public static SolrIndexAddress parse(String address) {
    boolean zk;
    String rest;
    if (address.startsWith("solr://")) {
      zk = false;
      rest = address.substring("solr://".length());
    } else if (address.startsWith("solr+zk://")) {
      zk = true;
      rest = address.substring("solr+zk://".length());
    } else {
      throw invalid(address, "it must start with solr:// (Solr nodes) or solr+zk:// (ZooKeeper)");
    }
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw invalid(address, "no collection: add /COLLECTION after the hosts");
    }
    List<String> hosts = new ArrayList<>();
    for (String host : rest.substring(0, slash).split(",", -1)) {
      hosts.add(hostPort(address, host));
    }
    String path = rest.substring(slash + 1);
    Optional<String> chroot = Optional.empty();
    int last = path.lastIndexOf('/');
    if (last >= 0) {
      if (!zk) {
        throw invalid(address, "a solr:// address is HOSTS/COLLECTION (a path before the collection is for "
            + "solr+zk:// chroots)");
      }
      chroot = Optional.of("/" + path.substring(0, last));
      path = path.substring(last + 1);
    }
    if (path.isEmpty()) {
      throw invalid(address, "no collection: add /COLLECTION after the hosts");
    }
    Integer shards = null;
    Integer replicas = null;
    java.time.Duration timeout = null;
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        switch (key) {
          case "shards" -> shards = number(address, key, value);
          case "replicas" -> replicas = number(address, key, value);
          case "timeout" -> timeout = java.time.Duration.ofSeconds(number(address, key, value));
          default -> throw invalid(address, "unknown parameter '" + key + "' (known: shards, replicas, timeout)");
        }
      }
    }
    try {
      return new SolrIndexAddress(hosts, zk, chroot, path, shards, replicas, timeout);
    } catch (IllegalArgumentException e) {
      throw invalid(address, e.getMessage());
    }
  }

  /** The nodes' base URLs ({@code http://HOST:PORT/solr}); only for a {@code solr://} address. */
  public List<String> nodeUrls() {
    if (zooKeeper) {
      throw new IllegalStateException("a ZooKeeper address names no Solr node");
    }
    return hosts.stream().map(h -> "http://" + h + "/solr").toList();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(zooKeeper ? "solr+zk://" : "solr://").append(String.join(",", hosts));
    chroot.ifPresent(s::append);
    s.append('/').append(collection);
    String sep = "?";
    if (shards != null) {
      s.append(sep).append("shards=").append(shards);
      sep = "&";
    }
    if (replicas != null) {
      s.append(sep).append("replicas=").append(replicas);
      sep = "&";
    }
    if (!timeout.equals(DEFAULT_TIMEOUT)) {
      s.append(sep).append("timeout=").append(timeout.toSeconds());
    }
    return s.toString();
  }

  private static String hostPort(String address, String host) {
    if (host.isBlank()) {
      throw invalid(address, "empty host in the host list");
    }
    try {
      URI uri = new URI("http://" + host);
      if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getRawPath().length() > 0
          || !host.equals(uri.getRawAuthority()) || uri.getUserInfo() != null) {
        throw invalid(address, "hosts are HOST:PORT with a port from 1 to 65535, got: '" + host + "'");
      }
      return host;
    } catch (URISyntaxException e) {
      throw invalid(address, "hosts are HOST:PORT with a port from 1 to 65535, got: '" + host + "'");
    }
  }

  private static int number(String address, String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(address, key + " must be a whole number, got: '" + value + "'");
    }
  }

  private static IllegalArgumentException invalid(String address, String why) {
    return new IllegalArgumentException("invalid Solr index address " + address + ": " + why);
  }
}
