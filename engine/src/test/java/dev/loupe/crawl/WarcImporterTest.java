package dev.loupe.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.ingest.IngestFailure;
import dev.loupe.ingest.IngestReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcRevisit;
import org.netpreserve.jwarc.WarcTruncationReason;
import org.netpreserve.jwarc.WarcWriter;

/** Web archives written here with jwarc, imported, and searched for the occurrences they imply. */
class WarcImporterTest {
  private static final Instant PAGE_DATE = Instant.parse("2019-03-01T08:00:00Z");
  private static final Instant KITE_DATE = Instant.parse("2019-03-01T08:00:01Z");
  private static final Instant LONE_DATE = Instant.parse("2019-03-02T09:00:00Z");
  private static final Instant REVISIT_DATE = Instant.parse("2021-06-01T12:00:00Z");
  private static final String SITE = "http://archive.example/";

  @TempDir Path dir;
  private Loupe loupe;
  private final byte[] kite = TestImages.encode(TestImages.scene(200, 150, 901), "png");
  private final byte[] lone = TestImages.encode(TestImages.scene(200, 150, 902), "jpeg");

  @BeforeEach
  void open() throws IOException {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
  }

  @AfterEach
  void close() throws IOException {
    loupe.close();
  }

  private static HttpResponse http(String type, byte[] body) {
    return new HttpResponse.Builder(200, "OK").body(MediaType.parse(type), body).build();
  }

  /** The records of a small archive, each serialised on its own: image first, then its page. */
  private List<byte[]> records(WarcCompression compression) throws IOException {
    return List.of(
        record(compression, new WarcResponse.Builder(URI.create(SITE + "kite.png")).date(KITE_DATE)
            .body(http("image/png", kite)).build()),
        record(compression, new WarcResponse.Builder(URI.create(SITE + "birds.html")).date(PAGE_DATE)
            .body(http("text/html; charset=utf-8", ("<title>Birds</title><img src=\"kite.png\" alt=\"Red kite\">"
                + "<img src=\"missing.png\">").getBytes(StandardCharsets.UTF_8))).build()),
        record(compression, new WarcResponse.Builder(URI.create(SITE + "lone.jpg")).date(LONE_DATE)
            .body(http("image/jpeg", lone)).build()),
        record(compression, new WarcResponse.Builder(URI.create(SITE + "cut.png")).date(LONE_DATE)
            .truncated(WarcTruncationReason.LENGTH)
            .body(http("image/png", Arrays.copyOf(kite, 100))).build()),
        record(compression, new WarcRevisit.Builder(URI.create(SITE + "kite.png"), WarcRevisit.IDENTICAL_PAYLOAD_DIGEST_1_1)
            .date(REVISIT_DATE).refersTo(URI.create("urn:uuid:00000000-0000-0000-0000-000000000001"),
                URI.create(SITE + "kite.png"), KITE_DATE)
            .body(http("image/png", new byte[0])).build()));
  }

  private static byte[] record(WarcCompression compression, org.netpreserve.jwarc.WarcRecord record)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (WarcWriter writer = new WarcWriter(java.nio.channels.Channels.newChannel(out), compression)) {
      writer.write(record);
    }
    return out.toByteArray();
  }

  private Path write(String name, List<byte[]> parts) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    parts.forEach(all::writeBytes);
    return Files.write(dir.resolve(name), all.toByteArray());
  }

  /** Each archive goes into a new, empty index. */
  private IngestReport importArchive(Path file) throws IOException {
    loupe.close();
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data-" + file.getFileName())));
    return new WarcImporter(loupe.index(), loupe.analyzer()).run(file, p -> { });
  }

  private IndexedImage image(byte[] bytes) throws Exception {
    return loupe.index().imageByPixelKey(loupe.analyzer().analyze(bytes).signature().pixelKey()).orElseThrow();
  }

  private void assertArchiveImported(IngestReport report, String name, long cutOffset) throws Exception {
    assertEquals(2, report.newImages());
    assertEquals(1, report.seenAgain(), "the revisit");
    assertEquals(List.of(new IngestFailure(name + " at offset " + cutOffset + ": " + SITE + "cut.png",
        "record truncated (length); skipped")), report.failures());
    assertEquals(List.of(new Occurrence(SITE + "kite.png on " + SITE + "birds.html", SITE + "kite.png",
        SITE + "birds.html", "Red kite", KITE_DATE, REVISIT_DATE)), image(kite).occurrences());
    assertEquals(List.of(Occurrence.of(SITE + "lone.jpg", SITE + "lone.jpg", null, "lone", LONE_DATE)),
        image(lone).occurrences());
  }

  @Test
  void plainAndGzippedArchives() throws Exception {
    for (WarcCompression compression : List.of(WarcCompression.NONE, WarcCompression.GZIP)) {
      List<byte[]> records = records(compression);
      String name = compression == WarcCompression.NONE ? "a.warc" : "a.warc.gz";
      Path file = write(name, records);
      long cutOffset = records.get(0).length + records.get(1).length + records.get(2).length;
      assertArchiveImported(importArchive(file), file.toString(), cutOffset);
    }
  }

  @Test
  void waczHoldsItsArchivesUnderArchive() throws Exception {
    List<byte[]> records = records(WarcCompression.GZIP);
    Path wacz = dir.resolve("site.wacz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wacz))) {
      zip.putNextEntry(new ZipEntry("datapackage.json"));
      zip.write("{}".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("archive/data.warc.gz"));
      for (byte[] r : records) {
        zip.write(r);
      }
    }
    long cutOffset = records.get(0).length + records.get(1).length + records.get(2).length;
    assertArchiveImported(importArchive(wacz), wacz + "!/archive/data.warc.gz", cutOffset);
  }

  @Test
  void malformedRecordIsSkippedAndATruncatedTailReported() throws Exception {
    for (WarcCompression compression : List.of(WarcCompression.NONE, WarcCompression.GZIP)) {
      List<byte[]> records = records(compression);
      byte[] last = records.get(4);
      byte[] garbage = compression == WarcCompression.NONE
          ? "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: nonsense\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
          : new byte[] {0x1f, (byte) 0x8b, 0x08, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
      String name = compression == WarcCompression.NONE ? "bad.warc" : "bad.warc.gz";
      Path file = write(name, List.of(records.get(0), garbage, records.get(1), records.get(2),
          records.get(3), last, Arrays.copyOf(records.get(2), records.get(2).length / 2)));
      IngestReport report = importArchive(file);
      long garbageAt = records.get(0).length;
      long tailAt = garbageAt + garbage.length + records.get(1).length + records.get(2).length
          + records.get(3).length + last.length;
      assertEquals(2, report.newImages(), compression + ": " + report.failures());
      List<String> where = report.failures().stream().map(IngestFailure::location).toList();
      assertEquals(List.of(file + " at offset " + garbageAt,
          file + " at offset " + (garbageAt + garbage.length + records.get(1).length + records.get(2).length)
              + ": " + SITE + "cut.png",
          file + " at offset " + tailAt), where, report.failures().toString());
      assertTrue(report.failures().get(0).message().startsWith("malformed record ("), report.failures().toString());
      assertTrue(report.failures().get(0).message().endsWith("); skipped to offset "
          + (garbageAt + garbage.length)), report.failures().toString());
      assertTrue(report.failures().get(2).message().endsWith("; nothing readable after it"),
          report.failures().toString());
    }
  }
}
