package dev.loupe.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Named API keys and their usage ledger, in {@code keys.db} (SQLite) in the data directory. A key
 * is shown once, when it is made; the store keeps only its SHA-256 (a key is 32 random bytes, so a
 * plain hash is as strong as a slow one). The command line and a running server open the same file
 * (SQLite's locking, write-ahead log): a key added or revoked by {@code loupe keys} is seen by the
 * server at its next lookup.
 *
 * <p>Thread-safe: one connection, every method synchronized.
 */
public final class KeyStore implements AutoCloseable {
  /** The file in the data directory. */
  public static final String FILE_NAME = "keys.db";
  /** Names: letters, digits, dots, dashes and underscores, 1 to 64 of them. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String PREFIX = "lk_";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key as listed: never its secret. */
  public record KeyInfo(String name, Instant created, Instant lastUsed) {}

  /**
   * What a key's requests used.
   *
   * @param imageSearchCalls {@code image_search} calls made by models in the key's turns
   * @param searches searches of the collection over the REST API and MCP
   * @param inputTokens input tokens of the key's model turns, as their {@code usage} reported them
   * @param outputTokens output tokens, likewise
   * @param imagesAdded images given to the index (new images, new occurrences, seen again)
   */
  public record Usage(long imageSearchCalls, long searches, long inputTokens, long outputTokens, long imagesAdded) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
  }

  private final Connection connection;

  private KeyStore(Connection connection) {
    this.connection = connection;
  }

  /** Opens or creates {@code dataDir/keys.db}. */
  public static KeyStore open(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("""
            CREATE TABLE IF NOT EXISTS keys (
              name TEXT PRIMARY KEY,
              hash TEXT NOT NULL UNIQUE,
              created_at INTEGER NOT NULL,
              last_used_at INTEGER)""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS usage (
              name TEXT PRIMARY KEY,
              image_search_calls INTEGER NOT NULL DEFAULT 0,
              searches INTEGER NOT NULL DEFAULT 0,
              input_tokens INTEGER NOT NULL DEFAULT 0,
              output_tokens INTEGER NOT NULL DEFAULT 0,
              images_added INTEGER NOT NULL DEFAULT 0)""");
      }
      return new KeyStore(c);
    } catch (SQLException e) {
      throw new IOException("cannot open the key store in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** The SHA-256 of a presented key, in hex: what the store keeps and looks up. */
  public static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }

  /**
   * Makes a key named {@code name}; returns the key itself, which is not kept and cannot be shown again.
   *
   * @throws IllegalArgumentException for a malformed name or one already in use
   */
  public synchronized String add(String name, Instant now) throws IOException {
    checkName(name);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    try (PreparedStatement p = connection.prepareStatement(
        "INSERT INTO keys (name, hash, created_at) VALUES (?, ?, ?)")) {
      p.setString(1, name);
      p.setString(2, hash(key));
      p.setLong(3, now.toEpochMilli());
      p.executeUpdate();
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("UNIQUE") && e.getMessage().contains("keys.name")) {
        throw new IllegalArgumentException("a key named '" + name + "' exists already; revoke it first or choose"
            + " another name");
      }
      throw new IOException("cannot add the key: " + e.getMessage(), e);
    }
    return key;
  }

  /** Every key, oldest first. */
  public synchronized List<KeyInfo> list() throws IOException {
    List<KeyInfo> keys = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT name, created_at, last_used_at FROM keys ORDER BY created_at, name")) {
      while (r.next()) {
        long used = r.getLong(3);
        Instant lastUsed = r.wasNull() ? null : Instant.ofEpochMilli(used);
        keys.add(new KeyInfo(r.getString(1), Instant.ofEpochMilli(r.getLong(2)), lastUsed));
      }
    } catch (SQLException e) {
      throw new IOException("cannot list the keys: " + e.getMessage(), e);
    }
    return keys;
  }

  /**
   * Revokes the key named {@code name}; its ledger stays.
   *
   * @throws IllegalArgumentException when there is no such key
   */
  public synchronized void revoke(String name) throws IOException {
    try (PreparedStatement p = connection.prepareStatement("DELETE FROM keys WHERE name = ?")) {
      p.setString(1, name);
      if (p.executeUpdate() == 0) {
        throw new IllegalArgumentException("no key is named '" + name + "' (loupe keys list shows them)");
      }
    } catch (SQLException e) {
      throw new IOException("cannot revoke the key: " + e.getMessage(), e);
    }
  }

  /** The name of the key whose hash is {@code hash}, if it exists. */
  public synchronized Optional<String> nameOf(String hash) throws IOException {
    try (PreparedStatement p = connection.prepareStatement("SELECT name FROM keys WHERE hash = ?")) {
      p.setString(1, hash);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IOException("cannot look the key up: " + e.getMessage(), e);
    }
  }

  /** Whether any key is stored. */
  public synchronized boolean isEmpty() throws IOException {
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT 1 FROM keys LIMIT 1")) {
      return !r.next();
    } catch (SQLException e) {
      throw new IOException("cannot read the keys: " + e.getMessage(), e);
    }
  }

  /** Records that {@code name} was used at {@code now}. */
  public synchronized void touch(String name, Instant now) throws IOException {
    try (PreparedStatement p = connection.prepareStatement("UPDATE keys SET last_used_at = ? WHERE name = ?")) {
      p.setLong(1, now.toEpochMilli());
      p.setString(2, name);
      p.executeUpdate();
    } catch (SQLException e) {
      throw new IOException("cannot record the key's use: " + e.getMessage(), e);
    }
  }

  /** Adds {@code delta} to the ledger of {@code name} (a key's name, or any caller's). */
  public synchronized void record(String name, Usage delta) throws IOException {
    try (PreparedStatement p = connection.prepareStatement("""
        INSERT INTO usage (name, image_search_calls, searches, input_tokens, output_tokens, images_added)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET
          image_search_calls = image_search_calls + excluded.image_search_calls,
          searches = searches + excluded.searches,
          input_tokens = input_tokens + excluded.input_tokens,
          output_tokens = output_tokens + excluded.output_tokens,
          images_added = images_added + excluded.images_added""")) {
      p.setString(1, name);
      p.setLong(2, delta.imageSearchCalls());
      p.setLong(3, delta.searches());
      p.setLong(4, delta.inputTokens());
      p.setLong(5, delta.outputTokens());
      p.setLong(6, delta.imagesAdded());
      p.executeUpdate();
    } catch (SQLException e) {
      throw new IOException("cannot record usage: " + e.getMessage(), e);
    }
  }

  /** The ledger of {@code name}; {@link Usage#NONE} when it has none. */
  public synchronized Usage usage(String name) throws IOException {
    try (PreparedStatement p = connection.prepareStatement("""
        SELECT image_search_calls, searches, input_tokens, output_tokens, images_added FROM usage WHERE name = ?""")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? new Usage(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)) : Usage.NONE;
      }
    } catch (SQLException e) {
      throw new IOException("cannot read usage: " + e.getMessage(), e);
    }
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a key name is 1 to 64 letters, digits, '.', '-' or '_', got: '" + name + "'");
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("cannot close the key store: " + e.getMessage(), e);
    }
  }
}
