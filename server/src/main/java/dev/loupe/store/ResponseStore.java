package dev.loupe.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Responses in a SQLite file ({@code responses.db} in the data directory), in WAL mode so readers
 * never wait for the writer.
 *
 * <pre>{@code
 * try (ResponseStore store = ResponseStore.open(dataDir)) {
 *   store.save(new StoredResponse(id, createdAt, responseJson, inputJson, conversationJson));
 *   store.find(id).map(StoredResponse::response);
 * }
 * }</pre>
 *
 * <p>Thread-safe: one connection, used under this object's lock. Each call is one short statement,
 * so a lock costs less than a pool here. Callers store only what may be retrieved: completed and
 * incomplete responses of requests with {@code store} not false (contract 2.1).
 */
public final class ResponseStore implements AutoCloseable {
  /** The database file's name under the data directory. */
  public static final String FILE_NAME = "responses.db";

  private final Connection connection;

  private ResponseStore(Connection connection) {
    this.connection = connection;
  }

  /** Opens or creates {@code dataDir/responses.db}. */
  public static ResponseStore open(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("""
            CREATE TABLE IF NOT EXISTS responses (
              id TEXT PRIMARY KEY,
              created_at INTEGER NOT NULL,
              response TEXT NOT NULL,
              input_items TEXT NOT NULL,
              conversation TEXT NOT NULL)""");
      }
      return new ResponseStore(c);
    } catch (SQLException e) {
      throw new IOException("cannot open the response store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** Saves or replaces a response. */
  public synchronized void save(StoredResponse r) {
    try (PreparedStatement s = connection.prepareStatement(
        "INSERT OR REPLACE INTO responses (id, created_at, response, input_items, conversation) VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, r.id());
      s.setLong(2, r.createdAt());
      s.setString(3, r.response());
      s.setString(4, r.inputItems());
      s.setString(5, r.conversation());
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("save " + r.id(), e);
    }
  }

  /** The response with this id, if stored. */
  public synchronized Optional<StoredResponse> find(String id) {
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT id, created_at, response, input_items, conversation FROM responses WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next()
            ? Optional.of(new StoredResponse(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read " + id, e);
    }
  }

  /** Deletes a response; false if there was none. */
  public synchronized boolean delete(String id) {
    try (PreparedStatement s = connection.prepareStatement("DELETE FROM responses WHERE id = ?")) {
      s.setString(1, id);
      return s.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failure("delete " + id, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("cannot close the response store: " + e.getMessage(), e);
    }
  }

  private static UncheckedIOException failure(String what, SQLException e) {
    return new UncheckedIOException(new IOException("response store: cannot " + what + ": " + e.getMessage(), e));
  }
}
