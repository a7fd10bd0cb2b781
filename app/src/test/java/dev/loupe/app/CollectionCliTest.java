package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.loupe.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe list} and {@code loupe export}, run as processes. */
class CollectionCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void listPagesAndExportWritesEveryOccurrence() throws Exception {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    String[][] files = {
      {"harbour.jpg", "1", "Harbour, at dusk", "2015-06-01T00:00:00Z"},
      {"copy-of-harbour.jpg", "1", "The \"same\" harbour", "2019-01-01T00:00:00Z"},
      {"lake.jpg", "2", "Mountain lake", "2018-01-01T00:00:00Z"},
      {"town.jpg", "3", "Old town", "2021-01-01T00:00:00Z"},
    };
    for (String[] f : files) {
      Files.write(photos.resolve(f[0]), TestImages.encode(TestImages.scene(320, 240, Long.parseLong(f[1])), "jpeg"));
      ObjectMapper m = new ObjectMapper();
      Files.writeString(photos.resolve(f[0].replace(".jpg", ".json")),
          m.writeValueAsString(Map.of("title", f[2], "first_seen", f[3])));
    }
    Path data = dir.resolve("data");
    Map<String, String> env = Map.of("HOME", dir.toString());
    assertEquals(0, LauncherTest.loupe(env, "index", photos.toString(), "--quiet", "--data", data.toString()).code());

    LauncherTest.Run list = LauncherTest.loupe(env, "list", "--data", data.toString(), "--limit", "2");
    assertEquals(0, list.code(), list.err());
    List<String> lines = list.out().lines().toList();
    assertEquals(2, lines.size(), list.out());
    assertTrue(lines.get(0).matches("[0-9a-f]{20}  2021-01-01T00:00:00Z    320x240      1  Old town"), lines.get(0));
    assertTrue(lines.get(1).matches("[0-9a-f]{20}  2018-01-01T00:00:00Z    320x240      1  Mountain lake"), lines.get(1));
    assertEquals("images 1-2 of 3; next page: --offset 2\n", list.err());

    JsonNode page = JSON.readTree(LauncherTest.loupe(env, "list", "--data", data.toString(), "--title", "harbour",
        "--json").out());
    assertEquals(1, page.get("total").asInt());
    JsonNode harbour = page.get("data").get(0);
    assertEquals(2, harbour.get("occurrences").size());
    assertEquals(photos.resolve("harbour.jpg").toString(), harbour.get("occurrences").get(0).get("source").asText());

    LauncherTest.Run bad = LauncherTest.loupe(env, "list", "--data", data.toString(), "--from", "last week");
    assertEquals(2, bad.code());
    assertEquals("loupe list: --from must be a date (2015-06-01) or an ISO-8601 instant (2015-06-01T12:00:00Z),"
        + " got: last week\n", bad.err());

    LauncherTest.Run jsonl = LauncherTest.loupe(env, "export", "--data", data.toString());
    assertEquals(0, jsonl.code(), jsonl.err());
    assertEquals("exported 3 images, 4 occurrences\n", jsonl.err());
    List<String> jsonLines = jsonl.out().lines().toList();
    assertEquals(3, jsonLines.size());
    assertEquals(page.get("data").get(0), JSON.readTree(jsonLines.get(2)), "the export's line is list --json's image");

    Path csv = dir.resolve("collection.csv");
    LauncherTest.Run exported = LauncherTest.loupe(env, "export", "--data", data.toString(), "--format", "csv",
        "-o", csv.toString());
    assertEquals("exported 3 images, 4 occurrences to " + csv + "\n", exported.err());
    List<String> csvLines = Files.readAllLines(csv);
    assertEquals(ExportCommand.CSV_HEADER, csvLines.get(0));
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    try (MappingIterator<List<String>> rows = mapper.readerFor(List.class).readValues(csv.toFile())) {
      List<List<String>> all = rows.readAll();
      assertEquals(5, all.size());
      List<String> quoted = all.stream().filter(r -> r.get(5).startsWith("The ")).findFirst().orElseThrow();
      assertEquals("The \"same\" harbour", quoted.get(5));
      assertEquals(photos.resolve("copy-of-harbour.jpg").toString(), quoted.get(8));
      assertEquals("2019-01-01T00:00:00Z", quoted.get(9));
      assertEquals("2015-06-01T00:00:00Z", quoted.get(4), "the image was first seen with its other occurrence");
    }
  }
}
