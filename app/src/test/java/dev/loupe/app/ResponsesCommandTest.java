package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loupe.store.ResponseStore;
import dev.loupe.store.StoredResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe responses list|purge} over a real response store, and serve's retention options. */
class ResponsesCommandTest {
  @TempDir Path data;

  record Result(int code, String out, String err) {}

  private static Result loupe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void listsThenPurgesBeforeATime() throws Exception {
    String input = "[{\"image_url\":\"data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[300]) + "\"}]";
    try (ResponseStore store = ResponseStore.open(data)) {
      long now = Instant.now().getEpochSecond();
      store.save(new StoredResponse("resp_a", now - 7200, "{}", input, input));
      store.save(new StoredResponse("resp_b", now - 60, "{}", "[]", input));
    }
    long documents = query("SELECT sum(bytes) FROM responses");
    Instant oldest = Instant.ofEpochSecond(query("SELECT min(created_at) FROM responses"));
    Instant newest = Instant.ofEpochSecond(query("SELECT max(created_at) FROM responses"));

    Result list = loupe("responses", "list", "--data=" + data);
    assertEquals(0, list.code(), list.err());
    assertEquals(String.format("responses  2%nimages     1%nbytes      %d%noldest     %s%nnewest     %s%n",
        documents + 300, oldest, newest), list.out());

    Instant cutoff = Instant.ofEpochSecond(newest.getEpochSecond() - 1);
    Result purge = loupe("responses", "purge", "--data=" + data, "--before=" + cutoff);
    assertEquals(0, purge.code(), purge.err());
    assertEquals(String.format("purged 1 responses created before %s%n", cutoff), purge.out());
    assertEquals(1, query("SELECT count(*) FROM responses"));
    assertEquals(1, query("SELECT count(*) FROM images"), "resp_b still has the image");

    Result all = loupe("responses", "purge", "--data=" + data, "--before=2999-01-01");
    assertEquals(String.format("purged 1 responses created before 2999-01-01T00:00:00Z%n"), all.out());
    assertEquals(0, query("SELECT count(*) FROM images"));
    assertEquals(String.format("responses  0%nimages     0%nbytes      0%noldest     none%nnewest     none%n"),
        loupe("responses", "list", "--data=" + data).out());
  }

  @Test
  void refusesABadTime() {
    Result bad = loupe("responses", "purge", "--data=" + data, "--before=yesterday");
    assertEquals(2, bad.code());
    assertEquals(String.format("loupe responses purge: --before must be an instant such as 2026-12-01T08:00:00Z"
        + " or a date such as 2026-12-01, got: yesterday%n"), bad.err());
  }

  @Test
  void serveRefusesAZeroRetention() {
    Result bad = loupe("serve", "--data=" + data, "--port=0", "--responses-max-mib=0");
    assertEquals(2, bad.code());
    assertEquals(String.format("loupe serve: the maximum size of stored responses must be positive, got: 0%n"), bad.err());
    Result age = loupe("serve", "--data=" + data, "--port=0", "--responses-max-age-days=0");
    assertEquals(2, age.code());
    assertEquals(String.format("loupe serve: the maximum age of stored responses must be positive, got: PT0S%n"), age.err());
  }

  private long query(String sql) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(ResponseStore.FILE_NAME));
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      return rs.getLong(1);
    }
  }
}
