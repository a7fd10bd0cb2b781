package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe serve} as a real process: a taken port is a prompt, clear, non-zero exit. */
class ServeListenerTest {
  @TempDir Path dir;

  @Test
  void portInUseExitsNonZeroWithTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "serve", "--port", Integer.toString(port), "--data", dir.resolve("data").toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();

      boolean exited = serve.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        serve.destroyForcibly();
      }
      String stderr = new String(serve.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

      assertTrue(exited, "serve kept running on a taken port; stderr: " + stderr);
      assertEquals(1, serve.exitValue(), stderr);
      List<String> ours = stderr.lines().filter(line -> line.startsWith("loupe serve:")).toList();
      assertEquals(List.of("loupe serve: cannot listen on 127.0.0.1:" + port + ": Address already in use"), ours,
          stderr);
    }
  }
}
