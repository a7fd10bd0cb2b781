package dev.loupe.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the tests that drive real external clients (node, curl, Chromium) share: finding a tool on
 * the PATH, the repository and the product documents, and running a process to its end.
 */
final class ExternalTools {
  private ExternalTools() {}

  /** The executable {@code name} on the PATH, or null. */
  static Path executable(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** The repository root: the nearest ancestor of the working directory holding the server's tests. */
  static Path repoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("server/src/test"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find server/src/test above " + Path.of("").toAbsolutePath());
  }

  /**
   * A seed document: in {@code $LOUPE_SEEDS_DIR} if set, else in the {@code shared/seeds} folder
   * beside the repository or beside any of its ancestors (worktrees may sit one level deeper).
   * The path is returned even when the file is missing, so that the caller can name it.
   */
  static Path seedFile(Path repo, String name) {
    String override = System.getenv("LOUPE_SEEDS_DIR");
    if (override != null && !override.isBlank()) {
      return Path.of(override).resolve(name);
    }
    for (Path dir = repo.getParent(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/seeds").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return repo.resolveSibling("shared").resolve("seeds").resolve(name).normalize();
  }

  /**
   * Runs {@code command} in {@code dir} with extra environment variables and {@code stdin}, waits
   * at most {@code timeoutSeconds}, asserts it exited with 0 and returns its standard output.
   */
  static String run(List<String> command, Path dir, Map<String, String> env, String stdin, long timeoutSeconds)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command.subList(0, Math.min(2, command.size())))
          + " did not finish within " + timeoutSeconds + " s; stdout so far: " + out.getNow("")
          + "\nstderr: " + err.getNow(""));
    }
    assertEquals(0, process.exitValue(), "stdout: " + out.get() + "\nstderr: " + err.get());
    return out.get();
  }

  /**
   * Reads the stream to its end on a thread of its own, not on the common pool: the server under
   * test runs in this JVM, and blocking the pool (one worker on two cores) would stall it.
   */
  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread.ofPlatform().daemon(true).name("external-tool-drain").start(() -> {
      try (stream) {
        text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.completeExceptionally(new UncheckedIOException(e));
      }
    });
    return text;
  }
}
