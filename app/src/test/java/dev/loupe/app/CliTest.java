package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.image.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code loupe} command line, run in-process with its output captured. */
class CliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Path photos;
  private Path data;

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private Result loupe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = args[0];
    all[1] = "--data=" + data;
    System.arraycopy(args, 1, all, 2, args.length - 1);
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeEach
  void folder() throws Exception {
    photos = Files.createDirectories(dir.resolve("photos"));
    data = dir.resolve("data");
    for (int i = 0; i < 6; i++) {
      Files.write(photos.resolve("scene-" + i + ".jpg"), TestImages.encode(TestImages.scene(640, 480, i), "jpeg"));
    }
    Files.writeString(photos.resolve("scene-0.txt"), "The first scene\n");
    Files.writeString(photos.resolve("scene-1.json"), "{\"title\": \"Second\", \"page_url\": \"https://gallery.example/2\"}");
  }

  @Test
  void indexSearchStatsDelete() throws Exception {
    Result indexed = loupe("index", photos.toString(), "--quiet");
    assertEquals(0, indexed.code(), indexed.err());
    assertTrue(indexed.out().startsWith("6 new images, 0 new occurrences, 0 seen again, 0 already indexed, 0 failed in "),
        indexed.out());

    Result again = loupe("index", photos.toString(), "--quiet");
    assertTrue(again.out().startsWith("0 new images, 0 new occurrences, 0 seen again, 6 already indexed, 0 failed"),
        again.out());

    JsonNode stats = JSON.readTree(loupe("stats", "--json").out());
    assertEquals(6, stats.get("images").asInt());
    assertEquals(6, stats.get("occurrences").asInt());
    assertEquals(0, stats.get("outdated_keypoints").asInt());
    // Nothing was indexed in an earlier format: the upgrade has nothing to do.
    Result upgrade = loupe("upgrade", "--quiet");
    assertEquals(0, upgrade.code(), upgrade.err());
    assertEquals("0 images rewritten in the current format; 6 images in the index\n", upgrade.out());

    Path query = photos.resolve("scene-0.jpg");
    Result search = loupe("search", query.toString(), "--json", "--top-k", "3");
    assertEquals(0, search.code(), search.err());
    JsonNode results = JSON.readTree(search.out()).get("results");
    // The exact file, then at most two similar scenes: only those above the likeness floor (0.525).
    assertTrue(results.size() >= 1 && results.size() <= 3, results.toString());
    for (int i = 1; i < results.size(); i++) {
      assertEquals("similar", results.get(i).get("match").asText(), results.toString());
      assertTrue(results.get(i).get("score").asDouble() >= 0.525, results.toString());
    }
    JsonNode first = results.get(0);
    assertEquals(List.of("index", "title", "url", "id", "page_url", "score", "match", "first_seen", "width", "height",
        "last_seen", "occurrences", "source"), iterable(first.fieldNames()));
    assertEquals(1, first.get("occurrences").asInt());
    assertEquals(1, first.get("index").asInt());
    assertEquals("The first scene", first.get("title").asText());
    assertEquals("exact", first.get("match").asText());
    assertEquals(query.toString(), first.get("source").asText());
    assertEquals(640, first.get("width").asInt());
    assertTrue(first.get("url").isNull());

    Result table = loupe("search", photos.resolve("scene-1.jpg").toString());
    assertTrue(table.out().contains("exact") && table.out().contains("Second"), table.out());
    Result mostChanged = loupe("search", photos.resolve("scene-1.jpg").toString(), "--sort", "most_changed", "--json");
    assertEquals(0, mostChanged.code(), mostChanged.err());
    assertEquals("Second", JSON.readTree(mostChanged.out()).get("results").get(0).get("title").asText(),
        "hits without differences follow by relevance");

    // Several queries, and a batch file: one JSON line per query, errors inline.
    Path batch = dir.resolve("batch.txt");
    Files.writeString(batch, photos.resolve("scene-2.jpg") + "\n# a comment\n" + dir.resolve("missing.jpg") + "\n");
    Result lines = loupe("search", "--batch", batch.toString(), "-k", "1");
    assertEquals(1, lines.code(), "one query failed");
    assertEquals(2, lines.lines().size(), lines.out());
    JsonNode ok = JSON.readTree(lines.lines().get(0));
    assertEquals(photos.resolve("scene-2.jpg").toString(), ok.get("query").asText());
    assertEquals("exact", ok.get("results").get(0).get("match").asText());
    JsonNode failed = JSON.readTree(lines.lines().get(1));
    assertTrue(failed.get("error").asText().contains("missing.jpg"), failed.toString());
    Result two = loupe("search", photos.resolve("scene-3.jpg").toString(), photos.resolve("scene-4.jpg").toString());
    assertEquals(2, two.lines().size());

    // Delete by id, then by path.
    String id = first.get("id").asText();
    Result deleted = loupe("delete", id);
    assertEquals("deleted image " + id + "\n", deleted.out());
    Result byPath = loupe("delete", photos.resolve("scene-5.jpg").toString());
    assertEquals("deleted 1 occurrence of " + photos.resolve("scene-5.jpg") + "\n", byPath.out());
    Result nothing = loupe("delete", "https://nowhere.example/x.jpg");
    assertEquals(1, nothing.code());
    assertEquals("loupe delete: nothing indexed under https://nowhere.example/x.jpg\n", nothing.err());
    assertEquals(4, JSON.readTree(loupe("stats", "--json").out()).get("images").asInt());
  }

  @Test
  void badInputsGiveTheirMessageAndExitCodes() throws Exception {
    Files.createDirectories(data); // an empty data directory: search reads it
    Path tiny = dir.resolve("tiny.png");
    Files.write(tiny, TestImages.encode(TestImages.redBlue(5, 5), "png"));
    Result search = loupe("search", tiny.toString());
    assertEquals(1, search.code());
    assertEquals("loupe search: " + tiny + ": image is 5x5 pixels; each side must be more than 10 pixels\n", search.err());

    Files.copy(tiny, photos.resolve("tiny.png"));
    Files.writeString(photos.resolve("notes.jpg"), "Hello");
    Result index = loupe("index", photos.toString(), "--quiet");
    assertEquals(1, index.code(), "failures make the exit code 1");
    assertTrue(index.out().startsWith("6 new images, 0 new occurrences, 0 seen again, 0 already indexed, 2 failed"), index.out());
    assertTrue(index.err().contains("failed: " + photos.resolve("tiny.png") + ": image is 5x5 pixels"), index.err());
    assertTrue(index.err().contains("failed: " + photos.resolve("notes.jpg") + ": unsupported format"), index.err());

    assertEquals(2, loupe("search", tiny.toString(), "--top-k", "0").code());
    assertTrue(loupe("search", tiny.toString(), "--top-k", "101").err().contains("top_k must be between 1 and 100, got: 101"));
    assertTrue(loupe("search", tiny.toString(), "--sort", "best").err()
        .contains("unknown sort: best (expected one of: relevance, oldest, newest, largest, most_changed)"));
    Result ftp = loupe("search", "ftp://example.org/x.jpg");
    assertEquals("loupe search: ftp://example.org/x.jpg: unsupported scheme ftp: (use http, https, data or a local path)\n",
        ftp.err());
    Result mirror = loupe("serve", "--port", "0", "--mirror", "https://img.example.com/=file:///srv/img/");
    assertEquals(2, mirror.code());
    assertEquals("loupe serve: mirror replacement must be an http or https URL prefix, got: file:///srv/img/\n",
        mirror.err());
    Result missing = loupe("index", dir.resolve("nope").toString());
    assertEquals(1, missing.code());
    assertEquals("loupe: " + dir.resolve("nope") + ": no such file or folder\n", missing.err());
  }

  @Test
  void demoFindsEachSampleQuerysOriginal() throws Exception {
    Path demo = Path.of(System.getProperty("loupe.demo.dir", "../demo")).toAbsolutePath().normalize();
    Result result = loupe("demo", "--demo-dir", demo.toString(), "-k", "1", "--no-serve");
    assertEquals(0, result.code(), result.err());
    String out = result.out();
    for (String line : Files.readAllLines(demo.resolve("queries/expected.csv"))) {
      String[] f = line.split(",", -1);
      if (f[0].equals("query") || f[0].isBlank()) {
        continue;
      }
      int at = out.indexOf("Search with " + demo.resolve("queries").resolve(f[0]));
      assertTrue(at >= 0, "no search for " + f[0] + " in:\n" + out);
      String block = out.substring(at, out.indexOf("\n\n", at));
      if (f.length > 1 && !f[1].isBlank()) {
        // The expected original is the top hit, claimed as the kind expected.csv names.
        assertTrue(block.contains(demo.resolve("images").resolve(f[1]).toString()), "expected " + f[1] + ":\n" + block);
        assertTrue(block.contains("1   " + f[2] + " "), "expected a " + f[2] + " match:\n" + block);
      } else {
        assertTrue(!block.contains("near_duplicate") && !block.contains("exact"), "no copy claim expected:\n" + block);
      }
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
