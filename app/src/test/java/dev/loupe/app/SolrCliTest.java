package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.features.Edits;
import dev.loupe.image.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe index}, {@code search}, {@code stats} and {@code delete} with {@code --index solr://…}. */
class SolrCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private static Result loupe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.runHere(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void theCommandsWorkOnASolrCollection() throws Exception {
    String index = SolrTestCluster.newCollection("cli");
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < 5; i++) {
      Files.write(photos.resolve("scene-" + i + ".jpg"), TestImages.encode(TestImages.scene(640, 480, i), "jpeg"));
    }
    String data = "--data=" + dir.resolve("data");
    Result indexed = loupe("index", data, "--index", index, photos.toString(), "--quiet");
    assertEquals(0, indexed.code(), indexed.err());
    assertTrue(indexed.out().startsWith("5 new images, 0 new occurrences"), indexed.out());
    Result again = loupe("index", data, "--index", index, photos.toString(), "--quiet");
    assertTrue(again.out().startsWith("0 new images, 0 new occurrences, 0 seen again, 5 already indexed"), again.out());

    JsonNode stats = JSON.readTree(loupe("stats", data, "--index", index, "--json").out());
    assertEquals(5, stats.get("images").asInt());
    assertEquals(5, stats.get("occurrences").asInt());
    assertTrue(stats.get("bytes_on_disk").asLong() > 0, stats.toString());
    assertEquals(index, stats.get("index").asText());

    // A cropped and recompressed copy: found by its keypoints and its hash in the Solr collection.
    Path crop = dir.resolve("crop.jpg");
    Files.write(crop, TestImages.encode(Edits.crop(TestImages.scene(640, 480, 3), 0.6, 0.5, 0.5), "jpeg"));
    Result search = loupe("search", data, "--index", index, crop.toString(), "--json", "--top-k", "3");
    assertEquals(0, search.code(), search.err());
    JsonNode first = JSON.readTree(search.out()).get("results").get(0);
    assertEquals(photos.resolve("scene-3.jpg").toString(), first.get("source").asText(), search.out());
    assertTrue(first.get("match").asText().matches("near_duplicate|partial"), first.toString());

    Result deleted = loupe("delete", data, "--index", index, photos.resolve("scene-4.jpg").toString());
    assertEquals(0, deleted.code(), deleted.err());
    assertEquals(4, JSON.readTree(loupe("stats", data, "--index", index, "--json").out()).get("images").asInt());
  }

  @Test
  void aMalformedAddressIsRefusedBeforeAnythingOpens() {
    Result bad = loupe("stats", "--data=" + dir.resolve("data"), "--index", "solr://127.0.0.1/images");
    assertEquals(1, bad.code());
    assertEquals("loupe: invalid Solr index address solr://127.0.0.1/images: hosts are HOST:PORT with a port from 1 "
        + "to 65535, got: '127.0.0.1'\n", bad.err());
    Result other = loupe("stats", "--data=" + dir.resolve("data"), "--index", "/var/lib/index");
    assertEquals(1, other.code());
    assertTrue(other.err().startsWith("loupe: --index must be a SolrCloud address"), other.err());
  }
}
