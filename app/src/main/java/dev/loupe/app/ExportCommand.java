package dev.loupe.app;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.loupe.index.ImageListing;
import dev.loupe.index.ImagePage;
import dev.loupe.tools.ImageJson;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe export}: every image and every occurrence, as JSON lines or CSV. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    header = "Export the collection, every occurrence, as JSON lines or CSV.",
    description = {"Write every indexed image the filters keep, newest first, to standard output or --output:",
      "jsonl: one image a line with all its occurrences (the fields of loupe list --json);",
      "csv: one row per occurrence, with a header row: " + ExportCommand.CSV_HEADER + "."})
final class ExportCommand implements Callable<Integer> {
  static final String CSV_HEADER =
      "id,format,width,height,image_first_seen,title,url,page_url,source,first_seen,last_seen";
  private static final int PAGE = ImageListing.MAX_LIMIT;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;
  @Mixin ListingOptions filters;

  @Option(names = "--format", paramLabel = "FORMAT", description = "jsonl (default) or csv.")
  String format = "jsonl";

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    ImageListing listing;
    try {
      if (!format.equals("jsonl") && !format.equals("csv")) {
        throw new IllegalArgumentException("--format must be jsonl or csv, got: " + format);
      }
      listing = filters.listing(0, PAGE);
    } catch (IllegalArgumentException e) {
      err.println("loupe export: " + e.getMessage());
      return 2;
    }
    long images = 0;
    long occurrences = 0;
    try (SharedEngine engine = data.openExisting();
        Writer writer = output == null ? spec.commandLine().getOut() : writer(output);
        Rows rows = format.equals("csv") ? new CsvRows(writer) : new JsonRows(writer)) {
      for (int offset = 0; offset >= 0; ) {
        ImagePage page = engine.loupe().index().list(listing.withOffset(offset));
        for (IndexedImage image : page.images()) {
          rows.write(image);
          images++;
          occurrences += image.occurrences().size();
        }
        offset = page.nextOffset();
      }
    }
    err.println("exported " + images + " images, " + occurrences + " occurrences"
        + (output == null ? "" : " to " + output));
    return 0;
  }

  private static Writer writer(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return new OutputStreamWriter(out, StandardCharsets.UTF_8);
  }

  /** Where exported images go, one format each. */
  private interface Rows extends AutoCloseable {
    void write(IndexedImage image) throws IOException;

    @Override
    void close() throws IOException;
  }

  private static final class JsonRows implements Rows {
    private final Writer writer;

    JsonRows(Writer writer) {
      this.writer = writer;
    }

    @Override
    public void write(IndexedImage image) throws IOException {
      writer.write(ImageJson.local(image).toString());
      writer.write('\n');
    }

    @Override
    public void close() throws IOException {
      writer.flush();
    }
  }

  /** RFC 4180 CSV written by Jackson's CSV module (quoting, embedded newlines), one row per occurrence. */
  private static final class CsvRows implements Rows {
    private final SequenceWriter rows;

    CsvRows(Writer writer) throws IOException {
      CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
      Arrays.stream(CSV_HEADER.split(",")).forEach(schema::addColumn);
      this.rows = new CsvMapper().writer(schema.build()).writeValues(writer);
    }

    @Override
    public void write(IndexedImage image) throws IOException {
      for (Occurrence o : image.occurrences()) {
        rows.write(new Object[] {image.id(), image.format(), image.width(), image.height(),
            image.firstSeen().toString(), o.title(), o.url(), o.pageUrl(), o.source(), o.firstSeen().toString(),
            o.lastSeen().toString()});
      }
    }

    @Override
    public void close() throws IOException {
      rows.flush();
    }
  }
}
