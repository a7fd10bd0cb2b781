package dev.loupe.solrnode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A SolrCloud cluster on this machine: one ZooKeeper JVM and N Solr node JVMs ({@link SolrNodeMain}),
 * each listening on a free port of 127.0.0.1, with their data and logs under one folder. For tests
 * (nodes killed and restarted on their own ports) and for trying the Solr index out
 * ({@code scripts/solr-cluster}).
 *
 * <p>This class uses only the JDK: other modules load it while the engine's Lucene is on their class
 * path. The node JVMs get their own class path: Solr 9 with its Lucene, from the file the build of
 * this module writes ({@code target/solr-node.classpath}, named by the system property
 * {@code loupe.solr.classpath.file}) or given as {@code loupe.solr.classpath}.
 */
public final class LocalSolrCluster implements AutoCloseable {
  /** How long a node or ZooKeeper may take to come up. */
  static final Duration STARTUP = Duration.ofSeconds(120);
  /** The node's main class, by name: loading it here would need Solr on this class path. */
  private static final String NODE_MAIN = "dev.loupe.solrnode.SolrNodeMain";

  private final Path baseDir;
  private final String classpath;
  private final int zkPort;
  private final int[] nodePorts;
  private final Process[] nodes;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process zooKeeper;
  private Thread shutdownHook;

  private LocalSolrCluster(Path baseDir, String classpath, int zkPort, int[] nodePorts) {
    this.baseDir = baseDir;
    this.classpath = classpath;
    this.zkPort = zkPort;
    this.nodePorts = nodePorts;
    this.nodes = new Process[nodePorts.length];
  }

  /**
   * Starts ZooKeeper and {@code nodes} Solr nodes under {@code baseDir}; returns once every node is
   * live in ZooKeeper. The processes stop when this JVM exits (or at {@link #close()}).
   */
  public static LocalSolrCluster start(Path baseDir, int nodes) throws IOException {
    return start(baseDir, nodes, launcherClasspath());
  }

  /** As {@link #start(Path, int)}, with the node JVMs' class path given. */
  public static LocalSolrCluster start(Path baseDir, int nodes, String classpath) throws IOException {
    LocalSolrCluster cluster = create(baseDir, nodes, classpath);
    cluster.shutdownHook = new Thread(cluster::close, "local-solr-cluster-stop");
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    cluster.startAll();
    return cluster;
  }

  /** Starts the processes without stopping them when this JVM exits ({@code scripts/solr-cluster start}). */
  static LocalSolrCluster startDetached(Path baseDir, int nodes, String classpath) throws IOException {
    LocalSolrCluster cluster = create(baseDir, nodes, classpath);
    cluster.startAll();
    return cluster;
  }

  private static LocalSolrCluster create(Path baseDir, int nodes, String classpath) throws IOException {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster needs at least 1 node, got: " + nodes);
    }
    Files.createDirectories(baseDir);
    int[] ports = new int[nodes];
    for (int i = 0; i < nodes; i++) {
      ports[i] = freePort();
    }
    return new LocalSolrCluster(baseDir.toAbsolutePath(), classpath, freePort(), ports);
  }

  private void startAll() throws IOException {
    try {
      startZooKeeper();
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = launchNode(i);
      }
      for (int i = 0; i < nodes.length; i++) {
        awaitLive(i);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The node JVMs' class path, from the system properties this class documents. */
  static String launcherClasspath() throws IOException {
    String given = System.getProperty("loupe.solr.classpath");
    if (given != null && !given.isBlank()) {
      return given;
    }
    String file = System.getProperty("loupe.solr.classpath.file");
    if (file == null || file.isBlank()) {
      throw new IllegalStateException("no class path for the Solr nodes: set the system property loupe.solr.classpath, "
          + "or loupe.solr.classpath.file to solr-node/target/solr-node.classpath (written by building the module "
          + "solr-node)");
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new IOException("no Solr node class path file at " + path + " (build the module solr-node first)");
    }
    Path jar = path.resolveSibling("loupe-solr-node.jar");
    Path classes = path.resolveSibling("classes");
    String own = Files.isRegularFile(jar) ? jar.toString() : classes.toString();
    return own + java.io.File.pathSeparator + Files.readString(path).strip();
  }

  public String zkAddress() {
    return "127.0.0.1:" + zkPort;
  }

  /** The nodes' base URLs, {@code http://127.0.0.1:PORT/solr}, fixed for the cluster's life. */
  public List<String> nodeUrls() {
    List<String> urls = new ArrayList<>();
    for (int port : nodePorts) {
      urls.add("http://127.0.0.1:" + port + "/solr");
    }
    return urls;
  }

  /** The address Loupe's {@code --index} takes for {@code collection} on this cluster. */
  public String indexAddress(String collection) {
    StringBuilder hosts = new StringBuilder();
    for (int port : nodePorts) {
      hosts.append(hosts.isEmpty() ? "" : ",").append("127.0.0.1:").append(port);
    }
    return "solr://" + hosts + "/" + collection;
  }

  /** Process ids: ZooKeeper's first, then the nodes' (-1 for a process not running). */
  List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    pids.add(zooKeeper != null && zooKeeper.isAlive() ? zooKeeper.pid() : -1);
    for (Process p : nodes) {
      pids.add(p != null && p.isAlive() ? p.pid() : -1);
    }
    return pids;
  }

  int zkPort() {
    return zkPort;
  }

  int nodePort(int i) {
    return nodePorts[i];
  }

  public boolean nodeAlive(int i) {
    return nodes[i] != null && nodes[i].isAlive();
  }

  /** Kills node {@code i} at once ({@code kill -9}): no shutdown, no flush. */
  public void killNode(int i) throws IOException {
    kill(nodes[i]);
  }

  /**
   * Starts node {@code i} again on its port and home; returns once it is live in ZooKeeper. A node
   * that was killed is first waited out of ZooKeeper's live nodes (its session expires after
   * {@code zkClientTimeout}, 15 s): a node that comes back while its old session still holds its
   * place in the shard leader elections can loop in the election and never finish starting.
   */
  public void restartNode(int i) throws IOException {
    if (nodeAlive(i)) {
      throw new IllegalStateException("node " + i + " is running");
    }
    awaitGone(i);
    nodes[i] = launchNode(i);
    awaitLive(i);
  }

  /** Kills ZooKeeper at once; the nodes keep running and reconnect once it is back. */
  public void stopZooKeeper() throws IOException {
    kill(zooKeeper);
  }

  /** Starts ZooKeeper on its port and data folder; returns once it answers. */
  public void startZooKeeper() throws IOException {
    Path dir = Files.createDirectories(baseDir.resolve("zookeeper"));
    Path config = dir.resolve("zoo.cfg");
    Files.writeString(config, String.join("\n",
        "tickTime=2000",
        "dataDir=" + dir.resolve("data"),
        "clientPort=" + zkPort,
        "clientPortAddress=127.0.0.1",
        "maxClientCnxns=0",
        "admin.enableServer=false",
        "4lw.commands.whitelist=ruok",
        ""));
    zooKeeper = launch(dir, "-Xmx128m", "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString());
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!"imok".equals(fourLetterWord("ruok"))) {
      if (!zooKeeper.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("ZooKeeper did not start on " + zkAddress() + "; its log ends with:\n" + tail(dir));
      }
      sleep(100);
    }
  }

  private Process launchNode(int i) throws IOException {
    Path home = Files.createDirectories(baseDir.resolve("node" + (i + 1)));
    return launch(home, "-Xmx512m", NODE_MAIN, "--home", home.toString(),
        "--port", Integer.toString(nodePorts[i]), "--zk", zkAddress());
  }

  private Process launch(Path dir, String heap, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap, "-XX:+UseSerialGC",
        "-Djava.net.preferIPv4Stack=true", "-cp", classpath, mainClass));
    command.addAll(List.of(args));
    Path log = dir.resolve("process.log");
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** Waits until node {@code i} answers and ZooKeeper lists it among the live nodes. */
  private void awaitLive(int i) throws IOException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (true) {
      if (!nodes[i].isAlive()) {
        throw new IOException("Solr node " + (i + 1) + " exited with status " + nodes[i].exitValue()
            + "; its log ends with:\n" + tail(baseDir.resolve("node" + (i + 1))));
      }
      String live = liveNodesSeenBy(i);
      if (live != null && live.contains(nodeName(i))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("Solr node " + (i + 1) + " was not live after " + STARTUP.toSeconds()
            + " s; its log ends with:\n" + tail(baseDir.resolve("node" + (i + 1))));
      }
      sleep(200);
    }
  }

  /**
   * Waits until the other running nodes no longer list node {@code i} among the live nodes. Without
   * another running node there is no one to ask, and it returns at once.
   */
  private void awaitGone(int i) throws IOException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    for (int other = 0; other < nodes.length; other++) {
      while (other != i && nodeAlive(other)) {
        String live = liveNodesSeenBy(other);
        if (live != null && !live.contains(nodeName(i))) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("Solr node " + (i + 1) + " was still listed live " + STARTUP.toSeconds()
              + " s after it stopped");
        }
        sleep(200);
      }
    }
  }

  /** Node {@code i}'s name in ZooKeeper's live nodes, quoted as in a JSON answer. */
  private String nodeName(int i) {
    return "\"127.0.0.1:" + nodePorts[i] + "_solr\"";
  }

  /**
   * The {@code live_nodes} array of node {@code i}'s CLUSTERSTATUS answer, as text; null while it
   * does not answer (not listening yet, or without ZooKeeper).
   */
  private String liveNodesSeenBy(int i) throws IOException {
    URI status = URI.create(nodeUrls().get(i) + "/admin/collections?action=CLUSTERSTATUS&wt=json");
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException notAnswering) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking Solr node " + (i + 1) + " for the live nodes", e);
    }
    if (response.statusCode() != 200) {
      return null;
    }
    String body = response.body();
    int start = body.indexOf("\"live_nodes\"");
    if (start < 0) {
      return "";
    }
    int end = body.indexOf(']', start);
    return end < 0 ? body.substring(start) : body.substring(start, end);
  }

  /** Sends one of ZooKeeper's four-letter commands; null if it does not answer. */
  private String fourLetterWord(String word) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), zkPort), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static String tail(Path dir) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("process.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void kill(Process process) throws IOException {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IOException("process " + process.pid() + " did not exit after kill -9");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while killing process " + process.pid(), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the nodes (SIGTERM, then kill after 20 s), then ZooKeeper. */
  @Override
  public void close() {
    for (Process node : nodes) {
      if (node != null) {
        node.destroy();
      }
    }
    for (Process node : nodes) {
      stop(node);
    }
    stop(zooKeeper);
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting: the hook runs anyway
      }
    }
  }

  private static void stop(Process process) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
