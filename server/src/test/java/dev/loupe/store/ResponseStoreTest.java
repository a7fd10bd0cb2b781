package dev.loupe.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseStoreTest {
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
}
