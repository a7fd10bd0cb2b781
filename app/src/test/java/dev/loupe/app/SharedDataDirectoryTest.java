package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While {@code loupe serve} runs, the other commands on its data directory work through it and
 * answer as they do on their own; its server file goes when it stops, and a stale one is ignored.
 */
class SharedDataDirectoryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void commandsRunThroughTheRunningServerWithTheSameAnswers() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < 4; i++) {
      Files.write(photos.resolve("scene-" + i + ".jpg"), TestImages.encode(TestImages.scene(320, 240, i), "jpeg"));
    }
    Files.writeString(photos.resolve("scene-1.txt"), "The second scene\n");
    Path data = dir.resolve("data");
    Map<String, String> env = Map.of("HOME", dir.toString(), "LOUPE_DATA", data.toString());
    Path serverFile = data.resolve(ServerFile.NAME);

    Process serve = start(env, "serve", "--port", "0");
    List<String> during;
    try {
      for (int i = 0; i < 600 && !Files.exists(serverFile); i++) {
        assertTrue(serve.isAlive(), "loupe serve exited");
        Thread.sleep(100);
      }
      assertTrue(Files.exists(serverFile), "no " + serverFile);
      // Without the server these would fail: the index is locked by the serving process.
      LauncherTest.Run index = LauncherTest.loupe(env, "index", photos.toString(), "--quiet");
      assertEquals(0, index.code(), index.err());
      assertTrue(index.out().startsWith("4 new images, 0 new occurrences, 0 seen again, 0 already indexed, 0 failed in "),
          index.out());
      LauncherTest.Run delete = LauncherTest.loupe(env, "delete", photos.resolve("scene-3.jpg").toString());
      assertEquals("deleted 1 occurrence of " + photos.resolve("scene-3.jpg") + "\n", delete.out());
      during = answers(args -> LauncherTest.loupe(env, args).out(), photos);
      // Someone else, without the token, cannot run commands.
      JsonNode file = JSON.readTree(Files.readString(serverFile));
      var forged = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(file.get("url").asText() + CommandService.PATH))
          .header(CommandService.TOKEN_HEADER, "guess").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
              "{\"args\": [\"stats\"]}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(403, forged.statusCode(), forged.body());
    } finally {
      serve.destroy(); // SIGTERM: the shutdown hook removes the server file and closes the index.
      assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "loupe serve did not stop");
    }
    assertFalse(Files.exists(serverFile), "the server file outlived the server");

    // The same commands on their own (in this process, on the same data directory) give the same answers.
    List<String> alone = answers(args -> inProcess(data, args), photos);
    assertEquals(during, alone);
    assertTrue(alone.get(2).contains("\"images\":3,"), alone.get(2));

    // A server file left by a killed server (its process is gone) is ignored.
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Files.writeString(serverFile, "{\"url\":\"http://127.0.0.1:9\",\"pid\":" + dead.pid() + ",\"token\":\"x\"}");
    assertEquals(alone.get(2), inProcess(data, "stats", "--json").replaceAll("\"(last_commit|bytes_on_disk)\":(\"[^\"]*\"|\\d+)", ""));
  }

  interface Loupe {
    String run(String... args) throws Exception;
  }

  /**
   * search --json, list --json and stats --json (without its commit time and size on disk, which
   * the server's close changes by committing and merging), as text. A similar
   * hit's score is left out: it comes from the 7-bit quantized vectors, which Lucene quantizes again
   * when the server's last segment is flushed at close, moving it in the third decimal.
   */
  private static List<String> answers(Loupe loupe, Path photos) throws Exception {
    List<String> answers = new ArrayList<>();
    JsonNode search = JSON.readTree(loupe.run("search", photos.resolve("scene-1.jpg").toString(), "--json", "-k", "3"));
    search.get("results").forEach(hit -> {
      if (hit.get("match").asText().equals("similar")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) hit).remove("score");
      }
    });
    answers.add(search.toString());
    answers.add(loupe.run("list", "--json", "--oldest"));
    answers.add(loupe.run("stats", "--json").replaceAll("\"(last_commit|bytes_on_disk)\":(\"[^\"]*\"|\\d+)", ""));
    return answers;
  }

  private static String inProcess(Path data, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "--data=" + data);
    int code = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), all.toArray(String[]::new));
    assertEquals(0, code, err.toString());
    return out.toString();
  }

  private static Process start(Map<String, String> env, String... args) throws Exception {
    return LauncherTest.launcher(env, args)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }
}
