package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.index.IndexedImage;
import dev.loupe.store.ResponseStore;
import dev.loupe.testing.TestSeed;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the writers of a data directory with SIGKILL in the middle of their work, then checks what
 * survived: every acknowledged write is there, and the SQLite stores, the kept originals and the
 * index agree. One writer a test: {@code loupe serve} under concurrent uploads and stored
 * Responses turns, and {@code loupe crawl} with its durable frontier.
 */
class CrashRoundsTest {
  private static final long SEED = TestSeed.value();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void killedServerKeepsEveryAcknowledgedUploadItsOriginalAndEveryStoredResponse() throws Exception {
    Path data = dir.resolve("data");
    Set<String> uploads = ConcurrentHashMap.newKeySet();
    Set<String> responses = ConcurrentHashMap.newKeySet();
    int pictures = 0;
    for (int round = 0; round < 2; round++) {
      Process serve = start("serve", "--port", "0", "--data", data.toString());
      try {
        String base = base(serve);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger roundResponses = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        int first = pictures;
        pictures += 1000;
        for (int c = 0; c < 4; c++) {
          int client = c;
          clients.add(Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; !stop.get(); i++) {
              int n = first + client * 250 + i;
              try {
                byte[] jpeg = TestImages.encode(TestImages.scene(160, 120, SEED + n), "jpeg");
                if (client == 3) {
                  JsonNode turn = post(base + "/v1/responses", responsesBody(jpeg));
                  if (turn != null) {
                    responses.add(turn.get("id").asText());
                    roundResponses.incrementAndGet();
                  }
                } else {
                  JsonNode added = post(base + "/v1/images", JSON.createObjectNode()
                      .put("image_url", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg))
                      .put("title", "upload " + n).toString());
                  if (added != null) {
                    uploads.add(added.get("id").asText());
                  }
                }
                // Killed only once a response turn is stored too: on a loaded machine the three
                // upload clients alone can reach 24 before the first turn is answered.
                if (acknowledged.incrementAndGet() >= 24 && roundResponses.get() > 0) {
                  enough.countDown();
                }
              } catch (Exception e) {
                return; // the server died under this request: not acknowledged
              }
            }
          }));
        }
        assertTrue(enough.await(120, TimeUnit.SECONDS),
            "24 writes, a response turn among them, were never acknowledged; seed " + SEED);
        serve.destroyForcibly(); // SIGKILL mid-load: no shutdown hook, no close
        assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
        stop.set(true);
        for (Thread t : clients) {
          t.join(TimeUnit.SECONDS.toMillis(30));
        }
      } finally {
        serve.destroyForcibly();
      }

      // Reopened the way the next serve would: the index, its originals, the stored responses.
      try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
        for (String id : uploads) {
          IndexedImage image = loupe.index().image(id).orElse(null);
          assertTrue(image != null, "acknowledged upload " + id + " lost, round " + round + ", seed " + SEED);
          assertTrue(loupe.original(image).isPresent(), "the original of " + id + " is gone, round " + round);
        }
        // Responses turns only search; a killed upload was either committed (and maybe not yet
        // acknowledged) or not at all.
        long images = loupe.index().stats().images();
        assertTrue(images >= uploads.size() && images <= uploads.size() + 3,
            images + " images for " + uploads.size() + " acknowledged uploads and at most 3 in flight");
      }
      try (ResponseStore store = ResponseStore.open(data)) {
        for (String id : responses) {
          assertTrue(store.find(id).isPresent(), "stored response " + id + " lost, round " + round + ", seed " + SEED);
        }
      }
      assertEquals("ok", integrity(data.resolve(ResponseStore.FILE_NAME)));
      try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
        assertOriginalsAreReferenced(data, loupe.index().stats().images());
      }
    }
    System.out.println("crash rounds: " + uploads.size() + " uploads, " + responses.size() + " responses acknowledged");
    assertTrue(uploads.size() >= 8 && !responses.isEmpty(), uploads.size() + " uploads, " + responses.size()
        + " responses acknowledged");
  }

  @Test
  void killedCrawlResumesToTheSameCollection() throws Exception {
    Map<String, byte[]> files = new HashMap<>();
    files.put("/robots.txt", "User-agent: *\nDisallow:\n".getBytes(StandardCharsets.UTF_8));
    StringBuilder home = new StringBuilder("<title>Home</title>");
    int photos = 60;
    for (int p = 0; p < photos; p++) {
      home.append("<img src=\"/photo").append(p).append(".jpg\" alt=\"Photo ").append(p).append("\">");
      files.put("/photo" + p + ".jpg", TestImages.encode(TestImages.scene(200, 150, SEED + 10_000 + p), "jpeg"));
    }
    files.put("/", home.toString().getBytes(StandardCharsets.UTF_8));
    Path data = dir.resolve("data");
    try (LoopbackSite site = new LoopbackSite(files)) {
      String seed = site.base() + "/";
      // 60 photos at 300 ms = 18 s of polite fetching; the crawl commits every 10 s.
      Process crawl = start("crawl", "--data", data.toString(), "--allow-private-addresses", "--delay-ms=300", seed);
      try {
        // Killed after its first commit (10 s) and before its end.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(data.resolve("crawl.db"))) {
          assertTrue(System.nanoTime() < deadline && crawl.isAlive(), "the crawl never started");
          Thread.sleep(20);
        }
        Thread.sleep(14_000);
        assertTrue(crawl.isAlive(), "the crawl ended before it could be killed");
        crawl.destroyForcibly();
        assertTrue(crawl.waitFor(30, TimeUnit.SECONDS));
      } finally {
        crawl.destroyForcibly();
      }
      assertEquals("ok", integrity(data.resolve("crawl.db")));
      long before;
      try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
        before = loupe.index().stats().images();
      }
      System.out.println("crawl killed with " + before + " of " + photos + " photos indexed");
      assertTrue(before < photos, "killed before the end: " + before);

      Process resumed = start("crawl", "--data", data.toString(), "--allow-private-addresses", "--delay-ms=10",
          "--quiet", seed);
      String out = new String(resumed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(resumed.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, resumed.exitValue(), out);
      try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
        assertEquals(photos, loupe.index().stats().images(), "every photo once after the resume: " + out);
        assertEquals(photos, loupe.index().stats().occurrences(), "one occurrence each, none twice: " + out);
      }
      assertEquals("ok", integrity(data.resolve("crawl.db")));
    }
  }

  private static void assertOriginalsAreReferenced(Path data, long images) throws Exception {
    Path originals = data.resolve("originals");
    if (!Files.exists(originals)) {
      assertEquals(0, images, "uploads without an originals store");
      return;
    }
    long blobs;
    try (var files = Files.walk(originals)) {
      blobs = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).count();
    }
    // The sweep at open removed blobs of writes that were not committed: one blob an indexed upload.
    assertEquals(images, blobs, "blobs in " + originals);
  }

  private static String integrity(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
      r.next();
      return r.getString(1);
    }
  }

  private static String responsesBody(byte[] jpeg) {
    var body = JSON.createObjectNode().put("model", "builtin").put("store", true);
    body.putArray("tools").addObject().put("type", "image_search");
    var content = body.putArray("input").addObject().put("role", "user").putArray("content");
    content.addObject().put("type", "input_text").put("text", "Where else is this?");
    content.addObject().put("type", "input_image").put("image_url",
        "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
    return body.toString();
  }

  /** The answer when it is a 200, else null; throws when the connection fails. */
  private static JsonNode post(String url, String json) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  private static Process start(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-modules",
        "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** Reads the serve process's banner for its address. */
  private static String base(Process serve) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("Loupe is listening on (http://\\S+)");
    for (String line; (line = out.readLine()) != null; ) {
      Matcher m = listening.matcher(line);
      if (m.find()) {
        Thread.ofPlatform().daemon().start(() -> {
          try {
            out.transferTo(java.io.Writer.nullWriter());
          } catch (java.io.IOException ignored) {
            // the process died
          }
        });
        return m.group(1);
      }
    }
    throw new AssertionError("serve exited before listening");
  }
}
