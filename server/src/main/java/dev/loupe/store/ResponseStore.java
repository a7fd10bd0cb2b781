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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Responses in a SQLite file ({@code responses.db} in the data directory), in WAL mode so readers
 * never wait for the writer.
 *
 * <pre>{@code
 * try (ResponseStore store = ResponseStore.open(dataDir, ResponseRetention.defaults(), Clock.systemUTC())) {
 *   store.save(new StoredResponse(id, createdAt, responseJson, inputJson, conversationJson));
 *   store.find(id).map(StoredResponse::response);
 * }
 * }</pre>
 *
 * <p>Images in Base64 data URLs are kept once each, by the SHA-256 of their bytes, in table {@code
 * images}; the documents hold references (see {@link ImageReferences}) that {@link #find} expands
 * back, so callers see the documents they saved. Rows written before images were split out (inline
 * data URLs) read as they are. Each save then applies the {@link ResponseRetention}: responses past
 * the age, then the oldest until the size fits, then images no response references.
 *
 * <p>Thread-safe: one connection, used under this object's lock. Each call is one short
 * transaction, so a lock costs less than a pool here. Callers store only what may be retrieved:
 * completed and incomplete responses of requests with {@code store} not false (contract 2.1).
 */
public final class ResponseStore implements AutoCloseable {
  /** The database file's name under the data directory. */
  public static final String FILE_NAME = "responses.db";

  private final Connection connection;
  private final ResponseRetention retention;
  private final Clock clock;

  private ResponseStore(Connection connection, ResponseRetention retention, Clock clock) {
    this.connection = connection;
    this.retention = retention;
    this.clock = clock;
  }

  /** Opens or creates {@code dataDir/responses.db} with the default retention. */
  public static ResponseStore open(Path dataDir) throws IOException {
    return open(dataDir, ResponseRetention.defaults(), Clock.systemUTC());
  }

  /**
   * Opens or creates {@code dataDir/responses.db}, upgrading a file of an earlier version in place.
   *
   * @param clock the time responses are aged against
   */
  public static ResponseStore open(Path dataDir, ResponseRetention retention, Clock clock) throws IOException {
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(clock, "clock");
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
        if (!hasColumn(c, "responses", "bytes")) {
          // Files from before images were split out: count their documents once, here.
          s.execute("ALTER TABLE responses ADD COLUMN bytes INTEGER");
          s.execute("""
              UPDATE responses SET bytes = length(CAST(response AS BLOB)) + length(CAST(input_items AS BLOB))
                + length(CAST(conversation AS BLOB))""");
        }
        s.execute("CREATE INDEX IF NOT EXISTS responses_by_age ON responses (created_at, bytes)");
        s.execute("""
            CREATE TABLE IF NOT EXISTS images (
              hash TEXT PRIMARY KEY,
              size INTEGER NOT NULL,
              data BLOB NOT NULL)""");
        s.execute("CREATE INDEX IF NOT EXISTS images_by_size ON images (size)");
        s.execute("""
            CREATE TABLE IF NOT EXISTS response_images (
              response_id TEXT NOT NULL,
              hash TEXT NOT NULL,
              PRIMARY KEY (response_id, hash)) WITHOUT ROWID""");
        s.execute("CREATE INDEX IF NOT EXISTS response_images_by_hash ON response_images (hash)");
      }
      return new ResponseStore(c, retention, clock);
    } catch (SQLException e) {
      throw new IOException("cannot open the response store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Saves or replaces a response, its images once each, then deletes what the retention no longer
   * allows (never this response).
   */
  public synchronized void save(StoredResponse r) {
    ImageReferences.Reduced response = ImageReferences.reduce(r.response());
    ImageReferences.Reduced input = ImageReferences.reduce(r.inputItems());
    ImageReferences.Reduced conversation = ImageReferences.reduce(r.conversation());
    Map<String, byte[]> images = new LinkedHashMap<>(response.images());
    input.images().forEach(images::putIfAbsent);
    conversation.images().forEach(images::putIfAbsent);
    long bytes = utf8Length(response.json()) + utf8Length(input.json()) + utf8Length(conversation.json());
    inTransaction("save " + r.id(), () -> {
      boolean replaced = unlink(List.of(r.id())) > 0;
      try (PreparedStatement s = connection.prepareStatement("""
          INSERT OR REPLACE INTO responses (id, created_at, response, input_items, conversation, bytes)
          VALUES (?, ?, ?, ?, ?, ?)""");
          PreparedStatement image = connection.prepareStatement(
              "INSERT OR IGNORE INTO images (hash, size, data) VALUES (?, ?, ?)");
          PreparedStatement link = connection.prepareStatement(
              "INSERT OR IGNORE INTO response_images (response_id, hash) VALUES (?, ?)")) {
        s.setString(1, r.id());
        s.setLong(2, r.createdAt());
        s.setString(3, response.json());
        s.setString(4, input.json());
        s.setString(5, conversation.json());
        s.setLong(6, bytes);
        s.executeUpdate();
        for (Map.Entry<String, byte[]> e : images.entrySet()) {
          image.setString(1, e.getKey());
          image.setLong(2, e.getValue().length);
          image.setBytes(3, e.getValue());
          image.executeUpdate();
          link.setString(1, r.id());
          link.setString(2, e.getKey());
          link.executeUpdate();
        }
      }
      sweep(r.id(), replaced);
      return null;
    });
  }

  /** The response with this id, if stored, with its images back inline. */
  public synchronized Optional<StoredResponse> find(String id) {
    try (PreparedStatement s = connection.prepareStatement(
        "SELECT id, created_at, response, input_items, conversation FROM responses WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Map<String, byte[]> cache = new HashMap<>();
        Function<String, byte[]> images = hash -> cache.computeIfAbsent(hash, this::image);
        return Optional.of(new StoredResponse(rs.getString(1), rs.getLong(2),
            ImageReferences.expand(rs.getString(3), images), ImageReferences.expand(rs.getString(4), images),
            ImageReferences.expand(rs.getString(5), images)));
      }
    } catch (SQLException e) {
      throw failure("read " + id, e);
    }
  }

  /** Deletes a response, and its images if no other response has them; false if there was none. */
  public synchronized boolean delete(String id) {
    return inTransaction("delete " + id, () -> deleteResponses(List.of(id)) > 0);
  }

  /**
   * Deletes every response created before {@code epochSeconds}, and the images only they had.
   *
   * @return how many responses were deleted
   */
  public synchronized int purgeBefore(long epochSeconds) {
    return inTransaction("purge", () -> deleteResponses(idsBefore(epochSeconds)));
  }

  /** How many responses and images are stored, their bytes, and the oldest and newest creation time. */
  public synchronized StoreSummary summary() {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT count(*), coalesce(sum(bytes), 0), min(created_at), max(created_at),
              (SELECT count(*) FROM images), (SELECT coalesce(sum(size), 0) FROM images) FROM responses""")) {
      rs.next();
      long oldest = rs.getLong(3);
      Long oldestOrNull = rs.wasNull() ? null : oldest;
      long newest = rs.getLong(4);
      Long newestOrNull = rs.wasNull() ? null : newest;
      return new StoreSummary(rs.getLong(1), rs.getLong(5), rs.getLong(2) + rs.getLong(6), oldestOrNull, newestOrNull);
    } catch (SQLException e) {
      throw failure("summarise", e);
    }
  }

  /**
   * Applies the retention, sparing {@code keep}.
   *
   * @param orphansPossible whether images may have lost their last reference already (a replaced
   *     response); otherwise only deletions here can orphan them
   */
  private void sweep(String keep, boolean orphansPossible) throws SQLException {
    long cutoff = clock.instant().minus(retention.maxAge()).getEpochSecond();
    List<String> expired = idsBefore(cutoff);
    expired.remove(keep);
    unlink(expired);
    if (deleteRows(expired) > 0 || orphansPossible) {
      deleteUnreferencedImages();
    }
    // One at a time: what a deletion frees depends on which of its images other responses share.
    while (totalBytes() > retention.maxBytes()) {
      String oldest;
      try (PreparedStatement s = connection.prepareStatement(
          "SELECT id FROM responses WHERE id <> ? ORDER BY created_at, id LIMIT 1")) {
        s.setString(1, keep);
        try (ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            break;
          }
          oldest = rs.getString(1);
        }
      }
      deleteResponses(List.of(oldest));
    }
  }

  private long totalBytes() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("""
            SELECT (SELECT coalesce(sum(bytes), 0) FROM responses) + (SELECT coalesce(sum(size), 0) FROM images)""")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> idsBefore(long epochSeconds) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement("SELECT id FROM responses WHERE created_at < ?")) {
      s.setLong(1, epochSeconds);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private int deleteResponses(List<String> ids) throws SQLException {
    unlink(ids);
    int deleted = deleteRows(ids);
    deleteUnreferencedImages();
    return deleted;
  }

  private int unlink(List<String> ids) throws SQLException {
    int unlinked = 0;
    try (PreparedStatement s = connection.prepareStatement("DELETE FROM response_images WHERE response_id = ?")) {
      for (String id : ids) {
        s.setString(1, id);
        unlinked += s.executeUpdate();
      }
    }
    return unlinked;
  }

  private int deleteRows(List<String> ids) throws SQLException {
    int deleted = 0;
    try (PreparedStatement s = connection.prepareStatement("DELETE FROM responses WHERE id = ?")) {
      for (String id : ids) {
        s.setString(1, id);
        deleted += s.executeUpdate();
      }
    }
    return deleted;
  }

  private void deleteUnreferencedImages() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.executeUpdate("DELETE FROM images WHERE NOT EXISTS (SELECT 1 FROM response_images l WHERE l.hash = images.hash)");
    }
  }

  private byte[] image(String hash) {
    try (PreparedStatement s = connection.prepareStatement("SELECT data FROM images WHERE hash = ?")) {
      s.setString(1, hash);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    } catch (SQLException e) {
      throw failure("read image " + hash, e);
    }
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T inTransaction(String what, Work<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (rs.getString("name").equals(column)) {
          return true;
        }
      }
      return false;
    }
  }

  private static long utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
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
