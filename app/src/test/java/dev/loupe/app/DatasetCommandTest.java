package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ParquetDatasetTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe index shard.parquet} with named columns, against pictures on loopback. */
class DatasetCommandTest {
  @TempDir Path dir;
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void parquetWithNamedColumnsFailuresByReasonAndResumed() throws Exception {
    byte[] kite = TestImages.encode(TestImages.scene(320, 240, 21), "jpeg");
    byte[] harbour = TestImages.encode(TestImages.scene(320, 240, 22), "jpeg");
    try (LoopbackSite site = new LoopbackSite(
        Map.of("/kite.jpg", kite, "/harbour.jpg", harbour, "/about.html", "<p>hi".getBytes()))) {
      index(site.base(), harbour);
    }
  }

  private void index(String base, byte[] harbour) throws Exception {
    Path shard = ParquetDatasetTest.write(dir.resolve("shard.parquet"), "link", "alt", List.of(
        new String[] {"1", base + "/kite.jpg", "A red kite"},
        new String[] {"2", base + "/gone.jpg", "Gone"},
        new String[] {"3", base + "/about.html", "A page"},
        new String[] {"4", base + "/harbour.jpg", "Harbour at dusk"}));
    String data = "--data=" + dir.resolve("data");

    String[] unnamed = run("index", data, "--quiet", "--allow-private-addresses", shard.toString());
    assertEquals("1", unnamed[0]);
    assertEquals("loupe: " + shard + ": no column named url or image_url; name it with --url-column;"
        + " its columns are: SAMPLE_ID, link, alt, HEIGHT\n", unnamed[2]);
    String[] misnamed = run("index", data, "--quiet", "--allow-private-addresses", "--url-column=lnk", shard.toString());
    assertEquals("loupe: " + shard + ": no column lnk (--url-column); its columns are: SAMPLE_ID, link, alt, HEIGHT\n",
        misnamed[2]);
    String[] noCaption = run("index", data, "--quiet", "--allow-private-addresses", "--url-column=link",
        "--caption-column=caption", shard.toString());
    assertEquals("loupe: " + shard + ": no column caption (--caption-column); its columns are: SAMPLE_ID, link, alt,"
        + " HEIGHT\n", noCaption[2]);

    String[] args = {"index", data, "--quiet", "--allow-private-addresses", "--url-column=LINK",
        "--caption-column=alt", "--per-host=1", shard.toString()};
    String[] first = run(args);
    assertEquals("1", first[0], first[2]);
    assertTrue(first[1].startsWith("2 new images, 0 new occurrences, 0 seen again, 0 already indexed, 2 failed in "),
        first[1]);
    assertTrue(first[1].endsWith("\nfailed by reason: HTTP 404: 1, not an image: 1\n"), first[1]);
    assertTrue(first[2].contains("  failed: " + base + "/gone.jpg: " + base + "/gone.jpg: HTTP 404\n"), first[2]);

    String[] again = run(args);
    assertTrue(again[1].startsWith("0 new images, 0 new occurrences, 0 seen again, 2 already indexed, 2 failed in "),
        again[1]);

    Path query = Files.write(dir.resolve("query.jpg"), harbour);
    JsonNode hit = new ObjectMapper().readTree(run("search", data, query.toString(), "--json")[1])
        .get("results").get(0);
    assertEquals("Harbour at dusk", hit.get("title").asText());
    assertEquals(base + "/harbour.jpg", hit.get("url").asText());
  }
}
