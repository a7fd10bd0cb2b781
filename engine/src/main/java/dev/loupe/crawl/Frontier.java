package dev.loupe.crawl;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The crawl's durable memory, in SQLite ({@code crawl.db} in the data directory, WAL mode): runs,
 * the queue of tasks of each run, and what earlier runs learnt about each page and image (ETag,
 * Last-Modified, links, pictures, image ids) so that a recrawl can ask "has it changed?".
 *
 * <p>Tasks are stored when discovered and marked done only after the index has committed what
 * they produced ({@link #markDone}), so a crash or Ctrl-C loses no work: the next run with the
 * same seeds resumes the unfinished run and redoes at most the uncommitted tasks, whose effects are
 * idempotent (an occurrence seen again only moves its last-seen time).
 *
 * <p>Thread-safe: every method holds this object's lock; SQLite writes are serialised anyway.
 */
final class Frontier implements Closeable {
  private final Connection db;

  private Frontier(Connection db) {
    this.db = db;
  }

  /** A crawl run: {@code resumed} when an unfinished run with the same seeds was found. */
  record Run(long id, boolean resumed) {}

  /** What an earlier run learnt about a page. */
  record PageState(String etag, String lastModified, String title, long fetchedRun) {}

  /** What an earlier run learnt about an image URL. */
  record ImageState(String imageId, String etag, String lastModified, long fetchedRun) {}

  /** A picture remembered on a page. */
  record PageImageRow(String imageUrl, String text) {}

  static Frontier open(Path file) throws IOException {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, seeds TEXT NOT NULL,"
            + " started TEXT NOT NULL, finished TEXT)");
        s.execute("CREATE TABLE IF NOT EXISTS tasks (id INTEGER PRIMARY KEY, run INTEGER NOT NULL,"
            + " kind TEXT NOT NULL, url TEXT NOT NULL, depth INTEGER NOT NULL, page_url TEXT NOT NULL,"
            + " text TEXT NOT NULL, page_title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0,"
            + " UNIQUE (run, kind, url, page_url))");
        s.execute("CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, etag TEXT,"
            + " last_modified TEXT, title TEXT NOT NULL, fetched_run INTEGER NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS page_links (page_url TEXT NOT NULL, url TEXT NOT NULL,"
            + " PRIMARY KEY (page_url, url))");
        s.execute("CREATE TABLE IF NOT EXISTS page_images (page_url TEXT NOT NULL,"
            + " image_url TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (page_url, image_url))");
        s.execute("CREATE TABLE IF NOT EXISTS images (url TEXT PRIMARY KEY, image_id TEXT NOT NULL,"
            + " etag TEXT, last_modified TEXT, fetched_run INTEGER NOT NULL)");
      }
      return new Frontier(db);
    } catch (SQLException e) {
      throw new IOException(file + ": cannot open the crawl frontier: " + e.getMessage(), e);
    }
  }

  /**
   * Resumes the last run if it is unfinished and has the same seeds (unless {@code fresh}), else
   * closes it and starts a new one.
   */
  synchronized Run begin(List<String> seeds, boolean fresh, Instant now) throws IOException {
    String key = String.join("\n", seeds);
    try {
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, seeds, finished FROM runs ORDER BY id DESC LIMIT 1")) {
        if (rs.next() && rs.getString(3) == null) {
          long id = rs.getLong(1);
          if (!fresh && rs.getString(2).equals(key)) {
            return new Run(id, true);
          }
          finish(id, now);
        }
      }
      try (PreparedStatement p = db.prepareStatement(
          "INSERT INTO runs (seeds, started) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        p.setString(1, key);
        p.setString(2, now.toString());
        p.executeUpdate();
        try (ResultSet rs = p.getGeneratedKeys()) {
          rs.next();
          return new Run(rs.getLong(1), false);
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  synchronized void finish(long run, Instant now) throws IOException {
    try (PreparedStatement p = db.prepareStatement("UPDATE runs SET finished = ? WHERE id = ?")) {
      p.setString(1, now.toString());
      p.setLong(2, run);
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Stores the tasks not already in this run; returns those stored, with their ids. */
  synchronized List<CrawlTask> enqueue(long run, List<CrawlTask> tasks) throws IOException {
    List<CrawlTask> stored = new ArrayList<>();
    try {
      db.setAutoCommit(false);
      try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO tasks (run, kind, url,"
          + " depth, page_url, text, page_title) VALUES (?, ?, ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        for (CrawlTask t : tasks) {
          p.setLong(1, run);
          p.setString(2, t.kind().name());
          p.setString(3, t.url());
          p.setInt(4, t.depth());
          p.setString(5, t.pageUrl());
          p.setString(6, t.text());
          p.setString(7, t.pageTitle());
          if (p.executeUpdate() == 1) {
            try (ResultSet rs = p.getGeneratedKeys()) {
              rs.next();
              stored.add(t.withId(rs.getLong(1)));
            }
          }
        }
      }
      db.commit();
      return stored;
    } catch (SQLException e) {
      rollback();
      throw failure(e);
    } finally {
      autoCommit();
    }
  }

  /** The run's tasks not yet done, in the order they were found. */
  synchronized List<CrawlTask> pending(long run) throws IOException {
    List<CrawlTask> tasks = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement("SELECT id, kind, url, depth, page_url, text,"
        + " page_title FROM tasks WHERE run = ? AND done = 0 ORDER BY id")) {
      p.setLong(1, run);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          tasks.add(new CrawlTask(rs.getLong(1), CrawlTask.Kind.valueOf(rs.getString(2)),
              rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6), rs.getString(7)));
        }
      }
      return tasks;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** How many of the run's tasks of this kind exist (done or not): the limits count these. */
  synchronized long count(long run, CrawlTask.Kind kind) throws IOException {
    try (PreparedStatement p = db.prepareStatement("SELECT count(*) FROM tasks WHERE run = ? AND kind = ?")) {
      p.setLong(1, run);
      p.setString(2, kind.name());
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Marks tasks done, in one transaction. */
  synchronized void markDone(Collection<Long> ids) throws IOException {
    if (ids.isEmpty()) {
      return;
    }
    try {
      db.setAutoCommit(false);
      try (PreparedStatement p = db.prepareStatement("UPDATE tasks SET done = 1 WHERE id = ?")) {
        for (long id : ids) {
          p.setLong(1, id);
          p.addBatch();
        }
        p.executeBatch();
      }
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw failure(e);
    } finally {
      autoCommit();
    }
  }

  synchronized Optional<PageState> page(String url) throws IOException {
    return row("SELECT etag, last_modified, title, fetched_run FROM pages WHERE url = ?", url,
        rs -> new PageState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
  }

  /** One row of a query by URL, read by {@code reader}; empty when there is none. */
  private <T> Optional<T> row(String sql, String url, RowReader<T> reader) throws IOException {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      p.setString(1, url);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** Reads the current row of a result set. */
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Records a page fetched in {@code run} with the links and pictures it has now. */
  synchronized void savePage(String url, PageState state, List<String> links,
      List<PageImageRow> images) throws IOException {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO pages (url, etag,"
          + " last_modified, title, fetched_run) VALUES (?, ?, ?, ?, ?)")) {
        p.setString(1, url);
        p.setString(2, state.etag());
        p.setString(3, state.lastModified());
        p.setString(4, state.title());
        p.setLong(5, state.fetchedRun());
        p.executeUpdate();
      }
      for (String table : List.of("page_links", "page_images")) {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM " + table + " WHERE page_url = ?")) {
          p.setString(1, url);
          p.executeUpdate();
        }
      }
      try (PreparedStatement p = db.prepareStatement(
          "INSERT OR IGNORE INTO page_links (page_url, url) VALUES (?, ?)")) {
        for (String link : links) {
          p.setString(1, url);
          p.setString(2, link);
          p.addBatch();
        }
        p.executeBatch();
      }
      try (PreparedStatement p = db.prepareStatement(
          "INSERT OR IGNORE INTO page_images (page_url, image_url, text) VALUES (?, ?, ?)")) {
        for (PageImageRow image : images) {
          p.setString(1, url);
          p.setString(2, image.imageUrl());
          p.setString(3, image.text());
          p.addBatch();
        }
        p.executeBatch();
      }
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw failure(e);
    } finally {
      autoCommit();
    }
  }

  /** Marks a page unchanged (304) in {@code run}. */
  synchronized void touchPage(String url, long run) throws IOException {
    try (PreparedStatement p = db.prepareStatement("UPDATE pages SET fetched_run = ? WHERE url = ?")) {
      p.setLong(1, run);
      p.setString(2, url);
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  synchronized List<String> links(String pageUrl) throws IOException {
    List<String> links = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement("SELECT url FROM page_links WHERE page_url = ? ORDER BY rowid")) {
      p.setString(1, pageUrl);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          links.add(rs.getString(1));
        }
      }
      return links;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  synchronized List<PageImageRow> images(String pageUrl) throws IOException {
    List<PageImageRow> images = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(
        "SELECT image_url, text FROM page_images WHERE page_url = ? ORDER BY rowid")) {
      p.setString(1, pageUrl);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          images.add(new PageImageRow(rs.getString(1), rs.getString(2)));
        }
      }
      return images;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  synchronized Optional<ImageState> image(String url) throws IOException {
    return row("SELECT image_id, etag, last_modified, fetched_run FROM images WHERE url = ?", url,
        rs -> new ImageState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
  }

  synchronized void saveImage(String url, ImageState state) throws IOException {
    try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO images (url, image_id,"
        + " etag, last_modified, fetched_run) VALUES (?, ?, ?, ?, ?)")) {
      p.setString(1, url);
      p.setString(2, state.imageId());
      p.setString(3, state.etag());
      p.setString(4, state.lastModified());
      p.setLong(5, state.fetchedRun());
      p.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // The original failure is the one worth reporting.
    }
  }

  private void autoCommit() {
    try {
      db.setAutoCommit(true);
    } catch (SQLException ignored) {
      // Only fails on a closed connection, which the next call reports.
    }
  }

  private static IOException failure(SQLException e) {
    return new IOException("crawl frontier: " + e.getMessage(), e);
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      db.close();
    } catch (SQLException e) {
      throw failure(e);
    }
  }
}
