package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.Edits;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loupe mcp} through the official MCP TypeScript SDK's stdio client
 * ({@code server/src/test/node/mcp.test.mjs}): the client starts the real launcher, and every
 * byte on its standard output must be a protocol message for the session to work at all.
 */
class McpCommandTest {
  @TempDir Path dir;

  private static Path node() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, "node");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static void require(boolean present, String what) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertTrue(present, what);
    } else {
      assumeTrue(present, what + "; skipping");
    }
  }

  @Test
  void theTypeScriptSdkTalksToLoupeMcpOverStdio() throws Exception {
    Path nodeDir = LauncherTest.ROOT.resolve("server/src/test/node");
    Path node = node();
    require(node != null, "node is not installed (install nodejs and npm; .ci/run does)");
    require(Files.isDirectory(nodeDir.resolve("node_modules/@modelcontextprotocol/sdk")),
        "the MCP TypeScript SDK is not installed: run `npm ci` in server/src/test/node (./test does)");

    Path data = dir.resolve("data");
    Path files = Files.createDirectories(dir.resolve("files"));
    BufferedImage harbour = Edits.resize(TestImages.demoPhoto("lomiri-sunset.jpg"), 640, 480);
    Files.write(files.resolve("query.jpg"), TestImages.encode(Edits.resize(harbour, 480, 360), "jpeg"));
    Files.write(files.resolve("new.jpg"), TestImages.encode(TestImages.scene(800, 600, 99), "jpeg"));
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      loupe.ingestor().add(TestImages.encode(harbour, "jpeg"), new ImageRecord("https://news.example/harbour.jpg",
          "Harbour at dawn", "https://news.example/2021/harbour", Instant.parse("2021-05-01T09:00:00Z")));
      loupe.ingestor().add(TestImages.encode(TestImages.scene(640, 480, 3), "jpeg"),
          new ImageRecord("https://gallery.example/scene.jpg", "A scene", null, null));
      // A local file: its hits link to the resource loupe://image/{id}.
      Path local = Files.write(files.resolve("local.jpg"), TestImages.encode(TestImages.scene(640, 480, 4), "jpeg"));
      loupe.ingestor().add(Files.readAllBytes(local), ImageRecord.of(local.toString()));
      loupe.index().commit();
    }

    ProcessBuilder builder = new ProcessBuilder(node.toString(), "mcp.test.mjs").directory(nodeDir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("LOUPE_"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("LOUPE_CLASSPATH", System.getProperty("java.class.path"));
    builder.environment().put("LOUPE_FILES", files.toString());
    builder.environment().put("LOUPE_MCP_COMMAND", "[\"bash\", \"" + LauncherTest.ROOT.resolve("loupe")
        + "\", \"mcp\", \"--data\", \"" + data + "\"]");
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String out = read(process.getInputStream());
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "node mcp.test.mjs did not finish");
    assertEquals(0, process.exitValue(), "stdout:\n" + out + "\nstderr:\n" + err.join());
    for (String check : List.of("stdio: image_search", "stdio: get_image", "stdio: collection_stats",
        "stdio: resource loupe://image/{id}", "stdio: prompt trace_origin", "stdio: errors", "stdio: a local path is read")) {
      assertTrue(out.contains("ok - " + check), "missing check " + check + " in:\n" + out);
    }
  }

  @Test
  void requestsSentJustBeforeTheInputEndsAreAnsweredAndStdoutHoldsOnlyProtocolMessages() throws Exception {
    Path data = dir.resolve("data");
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      loupe.ingestor().add(TestImages.encode(TestImages.scene(640, 480, 3), "jpeg"),
          new ImageRecord("https://gallery.example/scene.jpg", "A scene", null, null));
      loupe.index().commit();
    }
    Process process = LauncherTest.launcher(java.util.Map.of("HOME", dir.toString()), "mcp", "--data", data.toString())
        .start();
    try (var in = process.getOutputStream()) {
      in.write(("""
          {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
          {"jsonrpc":"2.0","method":"notifications/initialized"}
          {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"collection_stats","arguments":{}}}
          """).getBytes(StandardCharsets.UTF_8));
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String out = read(process.getInputStream());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "loupe mcp did not exit after its input ended");
    assertEquals(0, process.exitValue(), err.join());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> lines = out.lines().toList();
    assertEquals(2, lines.size(), out);
    assertEquals(1, json.readTree(lines.get(0)).get("id").asInt());
    var stats = json.readTree(lines.get(1));
    assertEquals(2, stats.get("id").asInt());
    assertEquals(1, stats.get("result").get("structuredContent").get("images").asInt(), lines.get(1));
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
