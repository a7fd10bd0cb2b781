package dev.loupe.solrnode;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code scripts/solr-cluster start N | stop | status [--dir DIR]}: a local SolrCloud cluster that
 * outlives the command, for trying the Solr index. {@code start} prints the {@code --index}
 * address as its last line; the processes and ports are recorded in {@code DIR/cluster.properties}.
 */
public final class SolrClusterCommand {
  private static final String STATE = "cluster.properties";
  private static final String COLLECTION = "images";

  private SolrClusterCommand() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: solr-cluster start N | stop | status [--dir DIR]");
      return 2;
    }
    Path dir = defaultDir();
    Integer nodes = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--dir") && i + 1 < args.length) {
        dir = Path.of(args[++i]);
      } else if (args[0].equals("start") && nodes == null && args[i].matches("\\d+")) {
        nodes = Integer.parseInt(args[i]);
      } else {
        System.err.println("solr-cluster: unexpected argument: " + args[i]);
        return 2;
      }
    }
    return switch (args[0]) {
      case "start" -> start(dir, nodes == null ? 2 : nodes);
      case "stop" -> stop(dir);
      case "status" -> status(dir);
      default -> {
        System.err.println("solr-cluster: unknown command " + args[0] + " (start N, stop or status)");
        yield 2;
      }
    };
  }

  private static Path defaultDir() {
    String xdg = System.getenv("XDG_DATA_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg, "loupe-solr") : Path.of(System.getProperty("user.home"), ".loupe-solr");
  }

  private static int start(Path dir, int nodes) throws IOException {
    Optional<Properties> running = state(dir);
    if (running.isPresent() && anyAlive(running.get())) {
      System.err.println("solr-cluster: a cluster is already running from " + dir + " (solr-cluster stop first); "
          + "its address: " + running.get().getProperty("address"));
      return 1;
    }
    long started = System.nanoTime();
    LocalSolrCluster cluster = LocalSolrCluster.startDetached(dir, nodes, LocalSolrCluster.launcherClasspath());
    Properties state = new Properties();
    List<Long> pids = cluster.pids();
    state.setProperty("zookeeper.port", Integer.toString(cluster.zkPort()));
    state.setProperty("zookeeper.pid", Long.toString(pids.getFirst()));
    state.setProperty("nodes", Integer.toString(nodes));
    for (int i = 0; i < nodes; i++) {
      state.setProperty("node." + (i + 1) + ".port", Integer.toString(cluster.nodePort(i)));
      state.setProperty("node." + (i + 1) + ".pid", Long.toString(pids.get(i + 1)));
    }
    state.setProperty("address", cluster.indexAddress(COLLECTION));
    try (Writer out = Files.newBufferedWriter(dir.resolve(STATE))) {
      state.store(out, "solr-cluster");
    }
    System.out.printf("ZooKeeper on %s and %d Solr node(s) on %s, started in %.1f s; data and logs in %s%n",
        cluster.zkAddress(), nodes, String.join(" ", cluster.nodeUrls()), (System.nanoTime() - started) / 1e9, dir);
    System.out.println(cluster.indexAddress(COLLECTION));
    return 0;
  }

  private static int stop(Path dir) throws IOException {
    Optional<Properties> state = state(dir);
    if (state.isEmpty()) {
      System.err.println("solr-cluster: no cluster recorded in " + dir);
      return 1;
    }
    Properties p = state.get();
    int nodes = Integer.parseInt(p.getProperty("nodes"));
    for (int i = 1; i <= nodes; i++) {
      stop(p.getProperty("node." + i + ".pid"), "node " + i);
    }
    stop(p.getProperty("zookeeper.pid"), "ZooKeeper");
    Files.delete(dir.resolve(STATE));
    return 0;
  }

  private static void stop(String pid, String what) {
    ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).ifPresentOrElse(h -> {
      h.destroy();
      try {
        h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        System.out.println(what + " (pid " + pid + ") stopped");
      } catch (Exception e) {
        h.destroyForcibly();
        System.out.println(what + " (pid " + pid + ") killed");
      }
    }, () -> System.out.println(what + " (pid " + pid + ") was not running"));
  }

  private static int status(Path dir) throws IOException {
    Optional<Properties> state = state(dir);
    if (state.isEmpty()) {
      System.out.println("no cluster recorded in " + dir);
      return 1;
    }
    Properties p = state.get();
    System.out.println("ZooKeeper 127.0.0.1:" + p.getProperty("zookeeper.port") + " pid "
        + p.getProperty("zookeeper.pid") + ": " + (alive(p.getProperty("zookeeper.pid")) ? "running" : "not running"));
    int nodes = Integer.parseInt(p.getProperty("nodes"));
    String liveNodes = null;
    for (int i = 1; i <= nodes; i++) {
      String port = p.getProperty("node." + i + ".port");
      boolean alive = alive(p.getProperty("node." + i + ".pid"));
      System.out.println("node " + i + " http://127.0.0.1:" + port + "/solr pid " + p.getProperty("node." + i + ".pid")
          + ": " + (alive ? "running" : "not running"));
      if (alive && liveNodes == null) {
        liveNodes = liveNodes(port);
      }
    }
    System.out.println("live nodes: " + (liveNodes == null ? "none" : liveNodes));
    System.out.println(p.getProperty("address"));
    return 0;
  }

  private static String liveNodes(String port) {
    try {
      HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/solr/admin/collections?action=CLUSTERSTATUS"
              + "&wt=json")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      int at = body.indexOf("\"live_nodes\"");
      return at < 0 ? "unknown (HTTP " + response.statusCode() + ")" : body.substring(at + 13, body.indexOf(']', at) + 1);
    } catch (IOException | InterruptedException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static boolean anyAlive(Properties p) {
    if (alive(p.getProperty("zookeeper.pid"))) {
      return true;
    }
    int nodes = Integer.parseInt(p.getProperty("nodes"));
    for (int i = 1; i <= nodes; i++) {
      if (alive(p.getProperty("node." + i + ".pid"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean alive(String pid) {
    return pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Optional<Properties> state(Path dir) throws IOException {
    Path file = dir.resolve(STATE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    return Optional.of(p);
  }
}
