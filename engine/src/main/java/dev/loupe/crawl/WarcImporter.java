package dev.loupe.crawl;

import dev.loupe.image.ImageRejected;
import dev.loupe.index.AddOutcome;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.ingest.IngestFailure;
import dev.loupe.ingest.IngestProgress;
import dev.loupe.ingest.IngestReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcRevisit;
import org.netpreserve.jwarc.WarcTruncationReason;

/**
 * Imports the pictures of a web archive ({@code .warc}, {@code .warc.gz}, or the {@code archive/}
 * WARCs inside a {@code .wacz}) with jwarc, as a crawl someone else made.
 *
 * <p>Two passes over the file. The first reads the HTML response records with {@link PageParser}
 * and remembers which page showed which image URL, with the page's title and the image's alt text.
 * The second turns each image response record (HTTP 200, an image type) into one occurrence per
 * page that showed it, or one without a page: {@code url} is the record's target URI,
 * {@code first_seen} and {@code last_seen} its {@code WARC-Date}. A revisit record of an image
 * imported from the same archive is another sighting at its own date. Records whose
 * {@code WARC-Truncated} says the payload is incomplete are reported and skipped.
 *
 * <p>A malformed record (bad headers, a body cut short, a broken gzip member) is reported with its
 * offset in the file, and reading resumes at the next record start found after it (the next gzip
 * member in a {@code .gz}, the next {@code WARC/1.} line otherwise), so one bad record never stops
 * the import. Memory: the first pass keeps one entry per image URL embedded in a page; payloads
 * larger than the analyzer's limits are refused by it.
 *
 * <p>Not thread-safe; one import at a time.
 */
public final class WarcImporter {
  /** Largest HTML payload parsed for embedding pages; larger pages are parsed up to this size. */
  static final int MAX_PAGE_BYTES = 10 << 20;
  /** Largest image payload read; the image loader has its own, smaller limit. */
  static final int MAX_IMAGE_BYTES = 64 << 20;

  private final ImageIndex index;
  private final ImageAnalyzer analyzer;
  private final PageParser pages = new PageParser(CrawlSettings.defaults().robotName());

  public WarcImporter(ImageIndex index, ImageAnalyzer analyzer) {
    this.index = Objects.requireNonNull(index, "index");
    this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
  }

  /** Whether a file name is one this importer reads. */
  public static boolean isArchive(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".warc") || lower.endsWith(".warc.gz") || lower.endsWith(".wacz");
  }

  /** Imports an archive and commits; {@code progress} is called after every record. */
  public IngestReport run(Path file, Consumer<IngestProgress> progress) throws IOException {
    long start = System.nanoTime();
    Counts counts = new Counts(start, progress);
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wacz")) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
          ZipEntry entry = entries.nextElement();
          String name = entry.getName();
          if (!name.startsWith("archive/") || !isArchive(name) || name.endsWith(".wacz")) {
            continue;
          }
          Path warc = Files.createTempFile("loupe-wacz-", name.endsWith(".gz") ? ".warc.gz" : ".warc");
          try {
            try (InputStream in = zip.getInputStream(entry)) {
              Files.copy(in, warc, StandardCopyOption.REPLACE_EXISTING);
            }
            importWarc(warc, file + "!/" + name, counts);
          } finally {
            Files.deleteIfExists(warc);
          }
        }
      }
    } else {
      importWarc(file, file.toString(), counts);
    }
    index.commit();
    return new IngestReport(counts.newImages, counts.newOccurrences, counts.seenAgain, counts.skipped,
        counts.failures, Duration.ofNanos(System.nanoTime() - start));
  }

  private void importWarc(Path file, String name, Counts counts) throws IOException {
    Map<String, List<Embedding>> embeddings = new HashMap<>();
    // Pass 1: the pages, so that an image met before its page still gets it.
    read(file, name, counts, false, record -> {
      if (record instanceof WarcResponse response && isHtml(response)) {
        HttpResponse http = response.http();
        byte[] html = http.bodyDecoded().stream().readNBytes(MAX_PAGE_BYTES);
        ParsedPage page = pages.parse(html, charset(http.contentType()), response.target());
        for (ParsedPage.PageImage image : page.images()) {
          embeddings.computeIfAbsent(image.url(), u -> new ArrayList<>())
              .add(new Embedding(response.target(), page.title(), image.text()));
        }
      }
    });
    Map<String, String> pixelKeys = new HashMap<>();
    read(file, name, counts, true, record -> {
      if (record instanceof WarcResponse response) {
        MediaType type = httpType(response);
        if (type == null || !isImageType(type)) {
          return;
        }
        HttpResponse http = response.http();
        String where = name + " at offset " + record.position() + ": " + response.target();
        if (http.status() != 200) {
          counts.skipped++;
          return;
        }
        if (record.truncated() != WarcTruncationReason.NOT_TRUNCATED) {
          counts.fail(where, "record truncated (" + record.truncated().name().toLowerCase(Locale.ROOT)
              + "); skipped");
          return;
        }
        byte[] bytes = http.bodyDecoded().stream().readNBytes(MAX_IMAGE_BYTES);
        ImageAnalyzer.Analysis analysis;
        try {
          analysis = analyzer.analyze(bytes);
        } catch (ImageRejected e) {
          counts.fail(where, e.getMessage());
          return;
        }
        pixelKeys.put(response.target(), analysis.signature().pixelKey());
        for (Occurrence occurrence : occurrences(response.target(), record.date(), embeddings)) {
          counts.record(index.add(analysis.signature(), analysis.metadata(), occurrence));
        }
      } else if (record instanceof WarcRevisit revisit) {
        String target = revisit.refersToTargetURI().map(Object::toString).orElse(revisit.target());
        String pixelKey = pixelKeys.get(target);
        if (pixelKey == null) {
          counts.skipped++; // A revisit of a page, or of a record in another archive.
          return;
        }
        IndexedImage stored = index.imageByPixelKey(pixelKey).orElse(null);
        if (stored == null) {
          counts.skipped++;
          return;
        }
        for (Occurrence occurrence : occurrences(revisit.target(), record.date(), embeddings)) {
          counts.record(index.add(stored.signature(),
              new ImageMetadata(stored.format(), stored.width(), stored.height(), new byte[0]), occurrence));
        }
      }
    });
  }

  private static List<Occurrence> occurrences(String url, Instant date, Map<String, List<Embedding>> embeddings) {
    List<Occurrence> out = new ArrayList<>();
    for (Embedding e : embeddings.getOrDefault(url, List.of())) {
      String text = !e.text().isBlank() ? e.text() : e.pageTitle();
      String title = new ImageRecord(url, text.isBlank() ? null : text, e.pageUrl(), null).titleOrFileName();
      out.add(Occurrence.of(url + " on " + e.pageUrl(), url, e.pageUrl(), title, date));
    }
    if (out.isEmpty()) {
      out.add(Occurrence.of(url, url, null, ImageRecord.of(url).titleOrFileName(), date));
    }
    return out;
  }

  private interface RecordHandler {
    void handle(WarcRecord record) throws IOException;
  }

  /**
   * Reads every record, resynchronising after a malformed one. Failures are reported in the
   * second pass only, so that each is reported once.
   */
  private static void read(Path file, String name, Counts counts, boolean report, RecordHandler handler)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file); WarcReader reader = new WarcReader(channel)) {
      boolean gzip = reader.compression() == WarcCompression.GZIP;
      long lastGood = -1;
      while (true) {
        long current = -1;
        try {
          var next = reader.next();
          if (next.isEmpty()) {
            return;
          }
          lastGood = current = next.get().position();
          handler.handle(next.get());
          if (report) {
            counts.processed++;
            counts.progress();
          }
        } catch (IOException | RuntimeException e) {
          // A failure in next() belongs to the record after the last good one (jwarc knows where
          // that one started, not where the bad one does), or, when none starts after it, to the
          // last good one's own body, cut short.
          long offset = current;
          if (offset < 0) {
            long after = nextRecordStart(file, lastGood + 1, gzip);
            offset = after >= 0 ? after : Math.max(lastGood, 0);
          }
          long resume = nextRecordStart(file, offset + 1, gzip);
          if (report) {
            counts.fail(name + " at offset " + offset, "malformed record (" + describe(e) + ")"
                + (resume < 0 ? "; nothing readable after it" : "; skipped to offset " + resume));
          }
          if (resume < 0) {
            return;
          }
          lastGood = resume - 1;
          reader.position(resume);
        }
      }
    }
  }

  private static String describe(Throwable e) {
    String what = e instanceof IOException ? "" : e.getClass().getSimpleName() + ": ";
    return e.getMessage() == null ? e.getClass().getSimpleName() : what + e.getMessage();
  }

  /** The offset of the next gzip member or {@code WARC/1.} line at or after {@code from}, or -1. */
  static long nextRecordStart(Path file, long from, boolean gzip) throws IOException {
    byte[] magic = gzip ? new byte[] {0x1f, (byte) 0x8b, 0x08} : "WARC/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      long position = from;
      int matched = 0;
      while (position < channel.size()) {
        buffer.clear();
        int n = channel.read(buffer, position);
        if (n <= 0) {
          return -1;
        }
        for (int i = 0; i < n; i++) {
          byte b = buffer.get(i);
          if (b == magic[matched]) {
            matched++;
            if (matched == magic.length) {
              long start = position + i - magic.length + 1;
              // A plain record starts a line: accept WARC/1. only at the file start or after a newline.
              if (gzip || start == 0 || precededByNewline(channel, start)) {
                return start;
              }
              matched = 0;
            }
          } else {
            matched = b == magic[0] ? 1 : 0;
          }
        }
        position += n;
      }
      return -1;
    }
  }

  private static boolean precededByNewline(FileChannel channel, long start) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    channel.read(one, start - 1);
    return one.get(0) == '\n';
  }

  private static boolean isHtml(WarcResponse response) throws IOException {
    MediaType type = httpType(response);
    return type != null && (type.subtype().equals("html") || type.subtype().equals("xhtml+xml"))
        && response.http().status() == 200;
  }

  private static MediaType httpType(WarcResponse response) throws IOException {
    if (!response.contentType().base().equals(MediaType.HTTP)) {
      return null; // Not an HTTP capture (a DNS or Gemini record).
    }
    return response.http().contentType().base();
  }

  private static boolean isImageType(MediaType type) {
    return type.type().equals("image") || type.equals(MediaType.OCTET_STREAM);
  }

  private static String charset(MediaType type) {
    return type.parameters().get("charset");
  }

  private record Embedding(String pageUrl, String pageTitle, String text) {}

  private static final class Counts {
    final long start;
    final Consumer<IngestProgress> progress;
    long processed;
    long newImages;
    long newOccurrences;
    long seenAgain;
    long skipped;
    final List<IngestFailure> failures = new ArrayList<>();

    Counts(long start, Consumer<IngestProgress> progress) {
      this.start = start;
      this.progress = progress;
    }

    void record(AddOutcome outcome) {
      switch (outcome) {
        case NEW_IMAGE -> newImages++;
        case NEW_OCCURRENCE -> newOccurrences++;
        case SEEN_AGAIN -> seenAgain++;
      }
    }

    void fail(String location, String message) {
      failures.add(new IngestFailure(location, message));
    }

    void progress() {
      progress.accept(new IngestProgress(processed, failures.size(), skipped, 0, -1,
          Duration.ofNanos(System.nanoTime() - start)));
    }
  }
}
