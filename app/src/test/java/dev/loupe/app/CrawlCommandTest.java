package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.image.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loupe crawl} against a small site on loopback, then searched from the command line. */
class CrawlCommandTest {
  @TempDir Path dir;
  private LoopbackSite site;

  @AfterEach
  void stop() {
    if (site != null) {
      site.close();
    }
  }

  private String serve(Map<String, byte[]> files) throws Exception {
    site = new LoopbackSite(files);
    return site.base();
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void crawlThenSearchShowsThePage() throws Exception {
    byte[] photo = TestImages.encode(TestImages.scene(400, 300, 7), "jpeg");
    String base = serve(Map.of(
        "/robots.txt", "User-agent: *\nDisallow:\n".getBytes(StandardCharsets.UTF_8),
        "/", "<title>Harbour</title><img src=\"/boat.jpg\" alt=\"Red boat\">".getBytes(StandardCharsets.UTF_8),
        "/boat.jpg", photo));
    String data = "--data=" + dir.resolve("data");

    String[] refused = run("crawl", data, "--quiet", base + "/");
    assertEquals("1", refused[0], refused[2]);
    assertTrue(refused[2].contains("  failed: " + base + "/robots.txt: address 127.0.0.1 is loopback;"
        + " fetching private addresses is disabled (loupe --allow-private-addresses allows it)"), refused[2]);

    String[] crawled = run("crawl", data, "--quiet", "--allow-private-addresses", "--delay-ms=10", base + "/");
    assertEquals("0", crawled[0], crawled[2]);
    assertTrue(crawled[1].startsWith("1 pages read, 0 unchanged, 1 new images, 0 new occurrences, 0 seen again,"
        + " 0 failed, "), crawled[1]);

    java.nio.file.Path query = dir.resolve("query.jpg");
    java.nio.file.Files.write(query, photo);
    String[] search = run("search", data, query.toString(), "--json");
    assertEquals("0", search[0], search[2]);
    JsonNode hit = new ObjectMapper().readTree(search[1]).get("results").get(0);
    assertEquals("Red boat", hit.get("title").asText());
    assertEquals(base + "/boat.jpg", hit.get("url").asText());
    assertEquals(base + "/", hit.get("page_url").asText());
  }

  @Test
  void indexWebArchive() throws Exception {
    byte[] photo = TestImages.encode(TestImages.scene(400, 300, 8), "jpeg");
    java.nio.file.Path warc = dir.resolve("site.warc.gz");
    java.time.Instant date = java.time.Instant.parse("2020-05-01T10:00:00Z");
    try (var writer = new org.netpreserve.jwarc.WarcWriter(java.nio.channels.FileChannel.open(warc,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE),
        org.netpreserve.jwarc.WarcCompression.GZIP)) {
      writer.write(new org.netpreserve.jwarc.WarcResponse.Builder("http://old.example/page.html").date(date)
          .body(new org.netpreserve.jwarc.HttpResponse.Builder(200, "OK")
              .body(org.netpreserve.jwarc.MediaType.HTML_UTF8,
                  "<img src=\"boat.jpg\" alt=\"Old boat\">".getBytes(StandardCharsets.UTF_8)).build()).build());
      writer.write(new org.netpreserve.jwarc.WarcResponse.Builder("http://old.example/boat.jpg").date(date)
          .body(new org.netpreserve.jwarc.HttpResponse.Builder(200, "OK")
              .body(org.netpreserve.jwarc.MediaType.parse("image/jpeg"), photo).build()).build());
    }
    String data = "--data=" + dir.resolve("data");
    String[] indexed = run("index", data, "--quiet", warc.toString());
    assertEquals("0", indexed[0], indexed[2]);
    assertTrue(indexed[1].startsWith("1 new images, 0 new occurrences, 0 seen again, 0 already indexed, 0 failed in "),
        indexed[1]);
    java.nio.file.Path query = dir.resolve("query.jpg");
    java.nio.file.Files.write(query, photo);
    JsonNode hit = new ObjectMapper().readTree(run("search", data, query.toString(), "--json")[1])
        .get("results").get(0);
    assertEquals("Old boat", hit.get("title").asText());
    assertEquals("http://old.example/page.html", hit.get("page_url").asText());
    assertEquals("2020-05-01T10:00:00Z", hit.get("first_seen").asText());
  }
}
