package dev.loupe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code server.json} in a data directory: written by {@code loupe serve} once it listens, removed
 * when it stops, so that other {@code loupe} commands on the same data directory run through the
 * server that holds the index open rather than failing on its lock.
 *
 * <p>It holds the server's base URL, its process id and a random owner token; readable by its owner
 * only (mode 600), the token proves to the server that a request comes from someone who can read
 * the data directory. A file left by a killed server is stale: its process is gone, so
 * {@link #read} ignores it.
 *
 * @param url base URL, for example {@code http://127.0.0.1:8080}
 * @param pid the server's process id
 * @param token the owner token
 */
record ServerFile(String url, long pid, String token) {
  static final String NAME = "server.json";

  /** Writes the file atomically (a reader never sees half of it). */
  void write(Path dataDir) throws IOException {
    ObjectNode o = HitJson.MAPPER.createObjectNode();
    o.put("url", url);
    o.put("pid", pid);
    o.put("token", token);
    Path temp = Files.createTempFile(dataDir, ".server", ".json");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the data directory's own permissions protect the token.
    }
    Files.writeString(temp, o.toString());
    try {
      Files.move(temp, dataDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Removes the file if it is still this server's (a newer server may have replaced it). */
  void remove(Path dataDir) {
    if (read(dataDir).filter(this::equals).isPresent()) {
      try {
        Files.deleteIfExists(dataDir.resolve(NAME));
      } catch (IOException e) {
        // A file left behind is stale once this process ends; readers ignore it.
      }
    }
  }

  /** The running server of {@code dataDir}, if there is one: absent when no file, unreadable or stale. */
  static Optional<ServerFile> read(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
        return Optional.empty();
      }
      JsonNode o = HitJson.MAPPER.readTree(Files.readString(file));
      ServerFile server = new ServerFile(o.path("url").asText(), o.path("pid").asLong(), o.path("token").asText());
      boolean alive = ProcessHandle.of(server.pid()).map(ProcessHandle::isAlive).orElse(false);
      return alive && server.url().startsWith("http://") && !server.token().isEmpty()
          ? Optional.of(server) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
