package dev.loupe.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Hugging Face hub mirror on 127.0.0.1 (port 0) serving local model directories as repositories,
 * over real HTTP with the hub's paths: the recursive tree listing (Git blob ids for every file, an
 * {@code lfs} object with the SHA-256 for {@code .onnx} files, as the hub stores ONNX graphs with Git
 * LFS), and {@code resolve/main/PATH}, which for LFS files redirects to {@code /cdn/SHA256} like the
 * hub's redirect to its content network. Files honour {@code Range: bytes=N-} with 206. Faults for
 * tests: cut the connection after some bytes of a file (once), or serve a file with one byte flipped.
 * Public: the app's command-line tests use it too.
 */
public final class HubMirror implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
  private final HttpServer server;
  private final Map<String, Path> repositories;
  private final Map<String, Path> bySha256 = new ConcurrentHashMap<>();
  private final Map<String, Long> cutOnce = new ConcurrentHashMap<>();
  private final Map<String, Long> stallOnce = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean rangesIgnored;
  private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** Serves each directory as the repository named by its key ({@code immich-app/ViT-B-32__openai}). */
  public HubMirror(Map<String, Path> repositories) throws IOException {
    this.repositories = Map.copyOf(repositories);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The next response for {@code path} (a file of any repository) ends after {@code bytes} body bytes. */
  public void cutOnce(String path, long bytes) {
    cutOnce.put(path, bytes);
  }

  /** The next response for {@code path} sends {@code bytes} body bytes, then nothing until the mirror closes. */
  public void stallOnce(String path, long bytes) {
    stallOnce.put(path, bytes);
  }

  /** From now on, {@code Range} headers are ignored: every file is sent whole with 200, as some servers do. */
  public void ignoreRanges() {
    rangesIgnored = true;
  }

  /** {@code path} is served with its first byte changed, while the listing keeps the true checksum. */
  public void corrupt(String path) {
    corrupt.put(path, true);
  }

  /** Requests so far: {@code "GET /path"}, with {@code " Range: bytes=N-"} when one was sent. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String range = exchange.getRequestHeaders().getFirst("Range");
      requests.add(exchange.getRequestMethod() + " " + path + (range == null ? "" : " Range: " + range));
      for (Map.Entry<String, Path> repo : repositories.entrySet()) {
        String tree = "/api/models/" + repo.getKey() + "/tree/main";
        String resolve = "/" + repo.getKey() + "/resolve/main/";
        if (path.equals(tree)) {
          send(exchange, 200, listing(repo.getValue()), "application/json");
          return;
        }
        if (path.startsWith(resolve)) {
          String file = path.substring(resolve.length());
          Path local = repo.getValue().resolve(file).normalize();
          if (!local.startsWith(repo.getValue()) || !Files.isRegularFile(local)) {
            send(exchange, 404, "Entry not found".getBytes(StandardCharsets.UTF_8), "text/plain");
          } else if (file.endsWith(".onnx")) {
            String sha = digest("SHA-256", null, Files.readAllBytes(local));
            bySha256.put(sha, local);
            exchange.getResponseHeaders().set("Location", "/cdn/" + sha);
            exchange.sendResponseHeaders(302, -1);
          } else {
            sendFile(exchange, file, local, range);
          }
          return;
        }
      }
      if (path.startsWith("/cdn/") && bySha256.containsKey(path.substring(5))) {
        Path local = bySha256.get(path.substring(5));
        String file = repositories.values().stream().filter(local::startsWith).findFirst().orElseThrow()
            .relativize(local).toString().replace('\\', '/');
        sendFile(exchange, file, local, range);
        return;
      }
      send(exchange, 404, "Repository not found".getBytes(StandardCharsets.UTF_8), "text/plain");
    }
  }

  private void sendFile(HttpExchange exchange, String file, Path local, String range) throws IOException {
    byte[] bytes = Files.readAllBytes(local);
    if (corrupt.containsKey(file)) {
      bytes[0] ^= 1;
    }
    int from = 0;
    Matcher m = range == null || rangesIgnored ? null : RANGE.matcher(range);
    if (m != null && m.matches()) {
      from = Integer.parseInt(m.group(1));
      if (from >= bytes.length) {
        exchange.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
        exchange.sendResponseHeaders(416, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Range",
          "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
    exchange.sendResponseHeaders(from > 0 ? 206 : 200, bytes.length - from);
    OutputStream out = exchange.getResponseBody();
    Long cut = cutOnce.remove(file);
    if (cut != null) {
      out.write(bytes, from, (int) Math.min(cut, bytes.length - from));
      out.flush();
      throw new IOException("cut by the test after " + cut + " bytes"); // closes the connection
    }
    Long stall = stallOnce.remove(file);
    if (stall != null) {
      out.write(bytes, from, (int) Math.min(stall, bytes.length - from));
      out.flush();
      try {
        closed.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("stalled by the test after " + stall + " bytes");
    }
    out.write(bytes, from, bytes.length - from);
  }

  private static byte[] listing(Path repo) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ArrayNode items = json.createArrayNode();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(repo)) {
      paths = walk.filter(p -> !p.equals(repo)).sorted().toList();
    }
    for (Path p : paths) {
      String rel = repo.relativize(p).toString().replace('\\', '/');
      ObjectNode item = items.addObject();
      if (Files.isDirectory(p)) {
        item.put("type", "directory").put("oid", "0".repeat(40)).put("size", 0).put("path", rel);
        continue;
      }
      byte[] bytes = Files.readAllBytes(p);
      if (rel.endsWith(".onnx")) {
        String sha = digest("SHA-256", null, bytes);
        String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha + "\nsize " + bytes.length + "\n";
        byte[] pointerBytes = pointer.getBytes(StandardCharsets.US_ASCII);
        item.put("type", "file").put("oid", blobId(pointerBytes)).put("size", bytes.length);
        item.putObject("lfs").put("oid", sha).put("size", bytes.length).put("pointerSize", pointerBytes.length);
      } else {
        item.put("type", "file").put("oid", blobId(bytes)).put("size", bytes.length);
      }
      item.put("path", rel);
    }
    return json.writeValueAsBytes(items);
  }

  private static String blobId(byte[] content) {
    return digest("SHA-1", ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII), content);
  }

  private static String digest(String algorithm, byte[] header, byte[] content) {
    try {
      MessageDigest d = MessageDigest.getInstance(algorithm);
      if (header != null) {
        d.update(header);
      }
      return HexFormat.of().formatHex(d.digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
  }
}
