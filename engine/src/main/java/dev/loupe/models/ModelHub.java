package dev.loupe.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.fetch.AddressGuard;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.FetchPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face hub, or a mirror serving the same paths, for the files of a model repository.
 *
 * <p>Two requests, both those of the hub's public API: {@code GET
 * {base}/api/models/{repository}/tree/{revision}?recursive=true} lists the files with their sizes,
 * Git blob ids and, for files stored with Git LFS (the ONNX graphs), the SHA-256 of their content;
 * {@code GET {base}/{repository}/resolve/{revision}/{path}} returns a file, usually through a
 * redirect to a content delivery network. Every hop is checked by the fetch policy's {@link
 * AddressGuard} before connecting (so a loopback or private mirror needs {@code
 * --allow-private-addresses}), redirects are followed here, at most {@link
 * FetchPolicy#maxRedirects()}. A file is written to a {@code .part} file; when one exists, the
 * download resumes with an HTTP {@code Range} request from its length. A body that sends nothing for
 * {@link #DEFAULT_IDLE_TIMEOUT} is abandoned (the JDK client has no read timeout of its own; a
 * watchdog closes the stream, which wakes the blocked read).
 *
 * <p>Hand-written on the JDK's HTTP client: Loupe's {@code ImageFetcher} keeps whole bodies in
 * memory under a 10 MiB cap, while a model file is hundreds of megabytes streamed to disk.
 */
public final class ModelHub implements AutoCloseable {
  /** The files of the open_clip layout that a model needs; {@code textual/} is all-or-nothing. */
  public static final List<String> VISUAL_FILES =
      List.of("config.json", "visual/model.onnx", "visual/preprocess_cfg.json");
  /** The text tower's files, downloaded when the repository has {@code textual/model.onnx}. */
  public static final List<String> TEXTUAL_FILES =
      List.of("textual/model.onnx", "textual/tokenizer.json", "textual/tokenizer_config.json");

  /** How long a file's body may send nothing before the download is abandoned: 60 s. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_LISTING_BYTES = 8 << 20;
  private static final int MAX_LISTING_PAGES = 20;
  private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final URI base;
  private final FetchPolicy policy;
  private final AddressGuard guard;
  private final HttpClient client;
  private final Duration idleTimeout;
  private final ScheduledExecutorService watchdog;

  /**
   * @param base the hub's or the mirror's root, {@code https://huggingface.co}
   * @param policy which addresses may be contacted, the connect timeout and the redirect limit (its
   *     size and total-time limits are for images and do not apply to model files)
   */
  public ModelHub(URI base, FetchPolicy policy) {
    this(base, policy, DEFAULT_IDLE_TIMEOUT);
  }

  /** As {@link #ModelHub(URI, FetchPolicy)} with another idle timeout (tests). */
  ModelHub(URI base, FetchPolicy policy, Duration idleTimeout) {
    String text = Objects.requireNonNull(base, "base").toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.guard = new AddressGuard(policy);
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(policy.connectTimeout())
        .build();
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.watchdog = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("loupe-model-watchdog").daemon(true).factory());
  }

  public URI base() {
    return base;
  }

  /**
   * The layout files of the entry's repository, as the hub lists them: the visual files, and the
   * textual ones when the repository has a text tower.
   */
  public List<HubFile> files(CatalogueEntry entry) throws ModelStoreException {
    Map<String, HubFile> listed = new TreeMap<>();
    URI next = base.resolve("api/models/" + entry.repository() + "/tree/" + entry.revision() + "?recursive=true");
    for (int page = 0; next != null; page++) {
      if (page == MAX_LISTING_PAGES) {
        throw new ModelStoreException(entry.repository() + ": the file listing has more than "
            + MAX_LISTING_PAGES + " pages");
      }
      Response response = open(next, entry.repository() + " file listing", -1);
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_LISTING_BYTES + 1);
      } catch (IOException e) {
        throw new ModelStoreException(response.where() + ": " + e.getMessage(), e);
      }
      if (body.length > MAX_LISTING_BYTES) {
        throw new ModelStoreException(response.where() + ": listing is over " + MAX_LISTING_BYTES + " bytes");
      }
      parseListing(response.where(), body, listed);
      next = nextPage(response);
    }
    List<HubFile> files = new ArrayList<>();
    for (String path : VISUAL_FILES) {
      files.add(required(entry, listed, path));
    }
    if (listed.containsKey("textual/model.onnx")) {
      for (String path : TEXTUAL_FILES) {
        files.add(required(entry, listed, path));
      }
    }
    return files;
  }

  private static HubFile required(CatalogueEntry entry, Map<String, HubFile> listed, String path)
      throws ModelStoreException {
    HubFile file = listed.get(path);
    if (file == null) {
      throw new ModelStoreException(entry.repository() + " at " + entry.revision() + " has no " + path
          + "; it is not a model in the open_clip layout (config.json, visual/, textual/)");
    }
    return file;
  }

  private static void parseListing(String where, byte[] body, Map<String, HubFile> into)
      throws ModelStoreException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(body);
    } catch (IOException e) {
      throw new ModelStoreException(where + ": the file listing is not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new ModelStoreException(where + ": the file listing is not a JSON array");
    }
    for (JsonNode item : root) {
      if (!"file".equals(item.path("type").asText())) {
        continue;
      }
      String path = item.path("path").asText("");
      JsonNode lfs = item.path("lfs");
      long size = item.path("size").asLong(-1);
      String sha256 = null;
      if (lfs.isObject()) {
        sha256 = lfs.path("oid").asText("");
        size = lfs.path("size").asLong(size);
        if (!sha256.matches("[0-9a-f]{64}")) {
          throw new ModelStoreException(where + ": " + path + " has no SHA-256 in the listing (lfs.oid: \""
              + sha256 + "\")");
        }
      }
      String blob = item.path("oid").asText("");
      if (size < 0 || (sha256 == null && !blob.matches("[0-9a-f]{40}"))) {
        throw new ModelStoreException(where + ": " + path + " has no size or checksum in the listing");
      }
      into.put(path, new HubFile(path, size, sha256, blob));
    }
  }

  private URI nextPage(Response response) throws ModelStoreException {
    String link = response.headers().firstValue("link").orElse(null);
    if (link == null) {
      return null;
    }
    Matcher m = NEXT_LINK.matcher(link);
    if (!m.find()) {
      return null;
    }
    try {
      return response.uri().resolve(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new ModelStoreException(response.where() + ": invalid next-page link: " + link);
    }
  }

  /**
   * Downloads {@code file} into {@code part}, resuming from the bytes {@code part} already has.
   * Returns when {@code part} has {@link HubFile#size()} bytes; checking them is the caller's.
   *
   * @param progress told the number of bytes {@code part} holds, after each block written
   */
  public void download(CatalogueEntry entry, HubFile file, Path part, LongConsumer progress)
      throws ModelStoreException {
    long have;
    try {
      have = Files.exists(part) ? Files.size(part) : 0;
      if (have > file.size()) {
        Files.delete(part);
        have = 0;
      }
    } catch (IOException e) {
      throw new ModelStoreException(part + ": " + e.getMessage(), e);
    }
    progress.accept(have);
    if (have == file.size()) {
      return;
    }
    URI uri = base.resolve(entry.repository() + "/resolve/" + entry.revision() + "/" + file.path());
    Response response = open(uri, entry.repository() + " " + file.path(), have);
    String where = response.where();
    long start = 0;
    if (response.status() == 206) {
      String range = response.headers().firstValue("content-range").orElse("");
      Matcher m = CONTENT_RANGE.matcher(range);
      if (!m.matches() || Long.parseLong(m.group(1)) != have) {
        close(response);
        throw new ModelStoreException(where + ": asked for bytes from " + have
            + " and got Content-Range \"" + range + "\"");
      }
      start = have;
    }
    long written = start;
    AtomicLong lastRead = new AtomicLong(System.nanoTime());
    AtomicBoolean stalled = new AtomicBoolean();
    long period = Math.max(50, idleTimeout.toMillis() / 4);
    ScheduledFuture<?> watch = watchdog.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastRead.get() > idleTimeout.toNanos()) {
        stalled.set(true);
        close(response);
      }
    }, period, period, TimeUnit.MILLISECONDS);
    try (InputStream in = response.body();
        OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (written + n > file.size()) {
          throw new ModelStoreException(where + ": the server sent more than the " + file.size()
              + " bytes the listing gives");
        }
        lastRead.set(System.nanoTime());
        out.write(buffer, 0, n);
        written += n;
        progress.accept(written);
      }
    } catch (IOException e) {
      if (stalled.get()) {
        throw new ModelStoreException(where + ": nothing received for " + idleTimeout.toMillis() + " ms after "
            + written + " of " + file.size() + " bytes; run the pull again to resume from there");
      }
      throw cut(where, written, file.size());
    } finally {
      watch.cancel(false);
    }
    if (written != file.size()) {
      throw cut(where, written, file.size());
    }
  }

  private static ModelStoreException cut(String where, long written, long size) {
    return new ModelStoreException(where + ": the connection ended after " + written + " of " + size
        + " bytes; run the pull again to resume from there");
  }

  private record Response(int status, URI uri, String where, java.net.http.HttpHeaders headers, InputStream body) {}

  /** GET {@code uri}, following redirects; a 200 (or 206 to a range request) or an exception. */
  private Response open(URI start, String what, long rangeFrom) throws ModelStoreException {
    URI current = start;
    for (int redirects = 0; ; redirects++) {
      String where = what + " (" + current + ")";
      try {
        guard.check(where, current);
      } catch (FetchException e) {
        // The refusal names the flag that allows private addresses itself.
        throw new ModelStoreException(e.getMessage(), e);
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(current)
          .timeout(HEADERS_TIMEOUT)
          .header("User-Agent", "Loupe model download");
      if (rangeFrom > 0) {
        request.header("Range", "bytes=" + rangeFrom + "-");
      }
      HttpResponse<InputStream> response;
      try {
        response = client.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new ModelStoreException(where + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelStoreException(where + ": interrupted", e);
      }
      int status = response.statusCode();
      Response r = new Response(status, current, where, response.headers(), response.body());
      if (REDIRECTS.contains(status)) {
        close(r);
        String location = response.headers().firstValue("location").orElse(null);
        if (location == null) {
          throw new ModelStoreException(where + ": HTTP " + status + " without a Location header");
        }
        if (redirects == policy.maxRedirects()) {
          throw new ModelStoreException(what + ": more than " + policy.maxRedirects() + " redirects");
        }
        try {
          current = current.resolve(location.strip());
        } catch (IllegalArgumentException e) {
          throw new ModelStoreException(where + ": redirect to an invalid URL: " + location);
        }
        continue;
      }
      if (status == 200 || (status == 206 && rangeFrom > 0)) {
        return r;
      }
      close(r);
      throw new ModelStoreException(where + ": HTTP " + status);
    }
  }

  private static void close(Response response) {
    try {
      response.body().close();
    } catch (IOException e) {
      // Closing a body we do not read; nothing to report.
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    client.close();
  }
}
