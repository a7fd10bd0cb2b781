package dev.loupe.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseStoreTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  void savesFindsDeletesAndSurvivesReopening() throws Exception {
    StoredResponse r = new StoredResponse("resp_1", 1763700000, "{\"id\":\"resp_1\"}", "[]", "[{\"type\":\"message\"}]");
    try (ResponseStore store = ResponseStore.open(dir)) {
      store.save(r);
    }
    try (ResponseStore store = ResponseStore.open(dir)) {
      assertEquals(r, store.find("resp_1").orElseThrow());
      assertTrue(store.find("resp_2").isEmpty());
      assertTrue(store.delete("resp_1"));
      assertFalse(store.delete("resp_1"));
      assertTrue(store.find("resp_1").isEmpty());
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResponseStore.FILE_NAME));
         ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      assertEquals("wal", rs.getString(1));
    }
  }

  @Test
  void anImageSharedByAChainIsStoredOnceAndReadBackInline() throws Exception {
    byte[] png = bytes(20_000, 1);
    String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    String input = "[{\"type\":\"message\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"" + url + "\"}]}]";
    StoredResponse first = new StoredResponse("resp_1", NOW.getEpochSecond(), "{\"id\":\"resp_1\"}", input, input);
    StoredResponse second = new StoredResponse("resp_2", NOW.getEpochSecond(), "{\"id\":\"resp_2\"}", "[]",
        "[" + input.substring(1, input.length() - 1) + ",{\"type\":\"message\"}]");
    StoredResponse third = new StoredResponse("resp_3", NOW.getEpochSecond(), "{\"id\":\"resp_3\"}", input,
        "[" + input.substring(1, input.length() - 1) + ",{\"type\":\"message\"}," + input.substring(1));
    try (ResponseStore store = ResponseStore.open(dir, ResponseRetention.defaults(), CLOCK)) {
      store.save(first);
      store.save(second);
      store.save(third);
      assertEquals(first, store.find("resp_1").orElseThrow());
      assertEquals(second, store.find("resp_2").orElseThrow());
      assertEquals(third, store.find("resp_3").orElseThrow());
      assertEquals(1, count("SELECT count(*) FROM images"));
      assertEquals(png.length, count("SELECT sum(length(data)) FROM images"));
      assertEquals(ImageReferences.sha256(png), text("SELECT hash FROM images"));
      String payloadStart = url.substring("data:image/png;base64,".length(), 60);
      assertEquals(0, count("SELECT count(*) FROM responses WHERE response || input_items || conversation LIKE '%"
          + payloadStart + "%'"));
      assertEquals(3, count("SELECT count(*) FROM responses WHERE conversation LIKE '%\"image_url\":\"loupe-stored-image:sha256:%'"));
      // Documents of a few hundred bytes each, the image once.
      assertTrue(count("SELECT sum(bytes) FROM responses") < 1_500, "" + count("SELECT sum(bytes) FROM responses"));
      assertEquals(new StoreSummary(3, 1, count("SELECT sum(bytes) FROM responses") + png.length,
          NOW.getEpochSecond(), NOW.getEpochSecond()), store.summary());

      assertTrue(store.delete("resp_1"));
      assertTrue(store.delete("resp_3"));
      assertEquals(third.response(), "{\"id\":\"resp_3\"}");
      assertEquals(second, store.find("resp_2").orElseThrow());
      assertEquals(1, count("SELECT count(*) FROM images"));
      assertTrue(store.delete("resp_2"));
      assertEquals(0, count("SELECT count(*) FROM images"));
      assertEquals(new StoreSummary(0, 0, 0, null, null), store.summary());
    }
  }

  @Test
  void clientTextThatLooksLikeAReferenceAndNonCanonicalBase64RoundTrip() throws Exception {
    String sha = ImageReferences.sha256(new byte[] {1});
    String json = "[{\"text\":\"" + ImageReferences.MARKER + "sha256:" + sha + ":data:image/png;base64,\"},"
        + "{\"text\":\"say \\\"" + ImageReferences.MARKER + "\\\"\"},"
        + "{\"" + ImageReferences.MARKER + "key\":\"data:image/png;base64,AQ\"},"
        + "{\"image_url\":\"data:image/png;base64,AQ==\"},"
        + "{\"image_url\":\"data:image/png;base64,A\\u0051==\"}]";
    StoredResponse r = new StoredResponse("resp_1", NOW.getEpochSecond(), "{}", json, json);
    try (ResponseStore store = ResponseStore.open(dir, ResponseRetention.defaults(), CLOCK)) {
      store.save(r);
      assertEquals(r, store.find("resp_1").orElseThrow());
      // Only the canonical, unescaped one went to the images table.
      assertEquals(1, count("SELECT count(*) FROM images"));
      assertEquals(1, count("SELECT size FROM images"));
    }
  }

  @Test
  void responsesPastTheMaximumAgeAreDeletedOnSave() throws Exception {
    ResponseRetention retention = new ResponseRetention(Duration.ofDays(30), 1L << 30);
    try (ResponseStore store = ResponseStore.open(dir, retention, CLOCK)) {
      store.save(withImage("resp_old", NOW.minus(Duration.ofDays(31)), 1));
      assertTrue(store.find("resp_old").isPresent(), "a save never deletes the response it saves");
      store.save(withImage("resp_recent", NOW.minus(Duration.ofDays(29)), 2));
      assertTrue(store.find("resp_old").isEmpty());
      store.save(withImage("resp_old", NOW.minus(Duration.ofDays(31)), 1));
      store.save(withImage("resp_new", NOW, 3));
      assertTrue(store.find("resp_old").isEmpty());
      assertTrue(store.find("resp_recent").isPresent());
      assertTrue(store.find("resp_new").isPresent());
      assertEquals(2, count("SELECT count(*) FROM images"), "the old response's image went with it");
    }
  }

  @Test
  void theOldestResponsesGoFirstWhenTheSizeIsExceeded() throws Exception {
    // Each response: about 10 kB of image plus a small document; room for three.
    ResponseRetention retention = new ResponseRetention(Duration.ofDays(30), 32_000);
    try (ResponseStore store = ResponseStore.open(dir, retention, CLOCK)) {
      for (int i = 0; i < 5; i++) {
        store.save(withImage("resp_" + i, NOW.minusSeconds(100 - i), i));
        assertTrue(store.summary().bytes() <= 32_000, "after save " + i + ": " + store.summary());
      }
      assertTrue(store.find("resp_0").isEmpty());
      assertTrue(store.find("resp_1").isEmpty());
      assertEquals(withImage("resp_2", NOW.minusSeconds(98), 2), store.find("resp_2").orElseThrow());
      assertEquals(3, store.summary().responses());
      assertEquals(3, count("SELECT count(*) FROM images"));
      // One response larger than the limit is kept until the next save.
      store.save(withImage("resp_big", NOW, 99, 40_000));
      assertEquals(1, store.summary().responses());
      assertTrue(store.find("resp_big").isPresent());
    }
  }

  @Test
  void replacingAResponseFreesItsOldImageBeforeTheSizeIsChecked() throws Exception {
    ResponseRetention retention = new ResponseRetention(Duration.ofDays(30), 32_000);
    try (ResponseStore store = ResponseStore.open(dir, retention, CLOCK)) {
      for (int i = 0; i < 3; i++) {
        store.save(withImage("resp_" + i, NOW.minusSeconds(100 - i), i));
      }
      store.save(withImage("resp_2", NOW.minusSeconds(98), 3));
      assertEquals(3, store.summary().responses());
      assertEquals(3, count("SELECT count(*) FROM images"));
      assertEquals(withImage("resp_2", NOW.minusSeconds(98), 3), store.find("resp_2").orElseThrow());
    }
  }

  @Test
  void rowsOfTheFormatBeforeImagesWereSplitOutStillRead() throws Exception {
    String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes(3_000, 7));
    String input = "[{\"image_url\":\"" + url + "\"}]";
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResponseStore.FILE_NAME));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE responses (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, response TEXT NOT NULL,"
          + " input_items TEXT NOT NULL, conversation TEXT NOT NULL)");
      s.execute("INSERT INTO responses VALUES ('resp_old', " + NOW.getEpochSecond() + ", '{}', '" + input + "', '" + input + "')");
    }
    StoredResponse old = new StoredResponse("resp_old", NOW.getEpochSecond(), "{}", input, input);
    try (ResponseStore store = ResponseStore.open(dir, ResponseRetention.defaults(), CLOCK)) {
      assertEquals(old, store.find("resp_old").orElseThrow());
      assertEquals(new StoreSummary(1, 0, 2 + 2L * input.length(), NOW.getEpochSecond(), NOW.getEpochSecond()),
          store.summary());
      store.save(new StoredResponse("resp_new", NOW.getEpochSecond(), "{}", input, input));
      assertEquals(old, store.find("resp_old").orElseThrow());
      assertEquals(input, store.find("resp_new").orElseThrow().inputItems());
      assertEquals(1, count("SELECT count(*) FROM images"));
    }
  }

  @Test
  void purgeDeletesResponsesBeforeATimeAndTheirImages() throws Exception {
    try (ResponseStore store = ResponseStore.open(dir, ResponseRetention.defaults(), CLOCK)) {
      store.save(withImage("resp_a", NOW.minusSeconds(300), 1));
      store.save(withImage("resp_b", NOW.minusSeconds(200), 2));
      store.save(withImage("resp_c", NOW.minusSeconds(100), 3));
      assertEquals(2, store.purgeBefore(NOW.minusSeconds(100).getEpochSecond()));
      assertEquals(0, store.purgeBefore(NOW.minusSeconds(100).getEpochSecond()));
      StoreSummary left = store.summary();
      assertEquals(1, left.responses());
      assertEquals(1, left.images());
      assertEquals(NOW.minusSeconds(100).getEpochSecond(), left.oldest());
      assertTrue(store.find("resp_c").isPresent());
    }
  }

  @Test
  void retentionRefusesNonPositiveLimits() {
    assertEquals("the maximum age of stored responses must be positive, got: PT0S",
        assertThrows(IllegalArgumentException.class, () -> new ResponseRetention(Duration.ZERO, 1)).getMessage());
    assertEquals("the maximum size of stored responses must be positive, got: 0",
        assertThrows(IllegalArgumentException.class, () -> new ResponseRetention(Duration.ofDays(1), 0)).getMessage());
    assertNull(new StoreSummary(0, 0, 0, null, null).oldest());
  }

  private static StoredResponse withImage(String id, Instant createdAt, int seed) {
    return withImage(id, createdAt, seed, 10_000);
  }

  private static StoredResponse withImage(String id, Instant createdAt, int seed, int imageBytes) {
    String input = "[{\"image_url\":\"data:image/jpeg;base64,"
        + Base64.getEncoder().encodeToString(bytes(imageBytes, seed)) + "\"}]";
    return new StoredResponse(id, createdAt.getEpochSecond(), "{\"id\":\"" + id + "\"}", input, input);
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResponseStore.FILE_NAME));
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      return rs.getLong(1);
    }
  }

  private String text(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ResponseStore.FILE_NAME));
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      return new String(rs.getBytes(1), StandardCharsets.UTF_8);
    }
  }
}
