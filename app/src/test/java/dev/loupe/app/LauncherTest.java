package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./loupe} launcher run as a user runs it, in its own process with its own environment:
 * where the data lives, what reaches the terminal, the version and the help.
 */
class LauncherTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DEMO = Path.of(System.getProperty("loupe.demo.dir", "../demo")).toAbsolutePath().normalize();
  /** A demo PNG whose sRGB chunk follows its palette: libpng warns "sRGB: out of place" about it. */
  static final Path SRGB_OUT_OF_PLACE = DEMO.resolve("images/stamp-clothes-t-shirt.png");

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  /** Runs {@code ./loupe args} with {@code env} added to a minimal environment (no LOUPE_DATA, no XDG). */
  static Run loupe(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Process process = launcher(env, args).start();
    process.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String out = read(process.getInputStream());
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "loupe " + String.join(" ", args) + " did not finish");
    return new Run(process.exitValue(), out, err.join());
  }

  /** {@code ./loupe args} with the test's class path, in a minimal environment plus {@code env}. */
  static ProcessBuilder launcher(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("loupe").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("LOUPE_") || k.startsWith("XDG_") || k.equals("HOME"));
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("LOUPE_CLASSPATH", System.getProperty("java.class.path"));
    environment.putAll(env);
    return builder;
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theDataDirectoryComesFromTheEnvironmentNotFromJavasUserHome() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    // user.home pointing elsewhere must not matter: $HOME decides.
    Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(),
        "LOUPE_JAVA_OPTS", "-Duser.home=" + dir.resolve("java-home")));
    Run stats = loupe(env, "stats");
    assertEquals(1, stats.code());
    assertEquals("loupe: no data directory at " + home.resolve(".loupe")
        + " (index images into it first, or give --data DIR)\n", stats.err());

    env.put("XDG_DATA_HOME", dir.resolve("xdg").toString());
    assertEquals("loupe: no data directory at " + dir.resolve("xdg/loupe")
        + " (index images into it first, or give --data DIR)\n", loupe(env, "search", SRGB_OUT_OF_PLACE.toString()).err());
    env.put("LOUPE_DATA", dir.resolve("chosen").toString());
    assertEquals("loupe: no data directory at " + dir.resolve("chosen")
        + " (index images into it first, or give --data DIR)\n", loupe(env, "delete", "x").err());
    assertEquals("loupe: no data directory at " + dir.resolve("flag")
        + " (index images into it first, or give --data DIR)\n", loupe(env, "stats", "--data", dir.resolve("flag").toString()).err());

    env.remove("XDG_DATA_HOME");
    env.remove("LOUPE_DATA");
    Path photo = dir.resolve("photo.jpg");
    Files.write(photo, TestImages.encode(TestImages.scene(320, 240, 1), "jpeg"));
    Run index = loupe(env, "index", photo.toString(), "--quiet");
    assertEquals(0, index.code(), index.err());
    assertTrue(Files.isDirectory(home.resolve(".loupe/index")));
    Run after = loupe(env, "stats", "--json");
    assertTrue(after.out().startsWith("{\"data_dir\":\"" + home.resolve(".loupe") + "\",\"index\":\""
        + home.resolve(".loupe/index") + "\",\"images\":1,"), after.out());
  }

  @Test
  void theDemoKeepsItsOwnIndex() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path demo = dir.resolve("demo");
    Files.createDirectories(demo.resolve("images"));
    Files.createDirectories(demo.resolve("queries"));
    for (int i = 0; i < 2; i++) {
      Files.write(demo.resolve("images/scene-" + i + ".jpg"), TestImages.encode(TestImages.scene(320, 240, i), "jpeg"));
    }
    Files.copy(demo.resolve("images/scene-1.jpg"), demo.resolve("queries/query.jpg"));
    Path users = dir.resolve("users-index");
    Run run = loupe(Map.of("HOME", home.toString(), "LOUPE_DATA", users.toString()),
        "demo", "--demo-dir", demo.toString(), "--no-serve");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("the index at " + home.resolve(".loupe-demo") + " holds 2 images"), run.out());
    assertFalse(Files.exists(users), "the demo wrote into the user's data directory");
    assertFalse(Files.exists(home.resolve(".loupe")));
  }

  @Test
  void onlyLoupesOwnLinesReachTheTerminalUnlessVerbose() throws Exception {
    Path data = dir.resolve("data");
    Run quiet = loupe(Map.of("HOME", dir.toString()), "index", SRGB_OUT_OF_PLACE.toString(), "--quiet", "--data", data.toString());
    assertEquals(0, quiet.code(), quiet.err());
    assertEquals("indexing file " + SRGB_OUT_OF_PLACE + " (1 images) into " + data + "\n", quiet.err());
    assertTrue(quiet.out().startsWith("1 new images, "), quiet.out());

    Run verbose = loupe(Map.of("HOME", dir.toString()), "index", SRGB_OUT_OF_PLACE.toString(), "--quiet", "--refresh",
        "--data", data.toString(), "--verbose");
    assertTrue(verbose.err().contains("WARNING: Using incubator modules: jdk.incubator.vector\n"), verbose.err());
    assertTrue(verbose.err().contains("INFO: Java vector incubator API enabled"), verbose.err());
    assertTrue(verbose.err().contains("libpng warning: sRGB: out of place\n"), verbose.err());
  }

  @Test
  void versionNamesTheCommitItWasBuiltFrom() throws Exception {
    Run version = loupe(Map.of("HOME", dir.toString()), "-V");
    assertEquals(0, version.code(), version.err());
    assertEquals("", version.err());
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(ROOT.toFile()).start();
    String head = read(git.getInputStream()).strip();
    assertTrue(version.out().matches("loupe \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{7,}(, with local changes)?\\)\n"),
        version.out());
    String commit = version.out().replaceAll("(?s).*\\(commit ([0-9a-f]+).*", "$1");
    assertTrue(head.startsWith(commit), "built from " + commit + ", HEAD is " + head);
  }

  @Test
  void helpSummariesAreWholeSentencesAndServeNamesEveryRouteGroup() throws Exception {
    Run help = loupe(Map.of("HOME", dir.toString()), "--help");
    assertEquals(0, help.code(), help.err());
    List<String> commands = help.out().lines().dropWhile(l -> !l.equals("Commands:")).skip(1).toList();
    assertEquals(List.of("index", "crawl", "search", "reembed", "upgrade", "models", "stats", "delete", "list", "export", "demo", "serve",
        "mcp", "keys", "responses", "help"),
        commands.stream().filter(l -> l.startsWith("  ") && !l.startsWith("   ")).map(l -> l.strip().split(" ")[0]).toList());
    // Each summary, with its continuation lines, is one sentence ending in a full stop.
    Map<String, String> summaries = new java.util.LinkedHashMap<>();
    String current = null;
    for (String line : commands) {
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        current = line.strip().split(" ")[0];
        summaries.put(current, line.strip().substring(current.length()).strip());
      } else if (current != null && line.startsWith("   ")) {
        summaries.merge(current, line.strip(), (a, b) -> a + " " + b);
      }
    }
    summaries.forEach((name, summary) -> assertTrue(summary.endsWith("."), name + ": " + summary));
    String serve = loupe(Map.of("HOME", dir.toString()), "serve", "--help").out();
    for (String route : List.of("POST /v1/images/search", "/v1/images/{id}/thumbnail", "POST /v1/responses",
        "POST /v1/chat/completions", "/api/v1/services/aigc/multimodal-generation/generation", "/api/v1/uploads",
        "GET /healthz", "/v1/models", "/v1/stats", "/playground", "/collection", "POST /mcp", "POST /v1/crawls",
        "GET /metrics", "GET /openapi.json", "GET /v1/usage")) {
      assertTrue(serve.contains(route), route + " missing from:\n" + serve);
    }
  }
}
