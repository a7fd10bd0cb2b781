package dev.loupe.app;

import dev.loupe.crawl.WarcImporter;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.ingest.DatasetSource;
import dev.loupe.ingest.ImageSource;
import dev.loupe.ingest.IngestFailure;
import dev.loupe.ingest.IngestReport;
import dev.loupe.ingest.Ingestor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loupe index}: adds a folder, a list of URLs or one URL to the index. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    header = "Add a folder, a list of URLs or one URL to the index.",
    description = {
      "Add images to the index: a folder (recursively; titles from <image>.txt or <image>.json sidecars,",
      "else the file name), a text file of URLs, a CSV of url,title,page_url, one http(s) URL, or a web",
      "archive (.warc, .warc.gz, .wacz: images dated by the archive, with the pages that showed them), or an",
      "image dataset (.parquet, .jsonl, .tsv, or .csv with --url-column: img2dataset's url/caption or LAION's",
      "URL/TEXT columns).",
      "Interrupted runs resume: locations already indexed are skipped unless --refresh is given."
    })
final class IndexCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;
  @Mixin ModelOption model;

  @Parameters(paramLabel = "SOURCE", description = "Folder, file of URLs, image file or URL.")
  String source;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: number of cores).")
  Integer threads;

  @Option(names = "--commit-every", paramLabel = "N", description = "Commit after N images (default: ${DEFAULT-VALUE}).")
  int commitEvery = 1000;

  @Option(names = "--refresh", description = "Re-read locations that are already indexed.")
  boolean refresh;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Option(names = "--url-column", paramLabel = "NAME",
      description = "Dataset column holding the image URL (default: url, else image_url; any case).")
  String urlColumn;

  @Option(names = "--caption-column", paramLabel = "NAME",
      description = "Dataset column holding the caption (default: caption, text or title if present).")
  String captionColumn;

  @Option(names = "--per-host", paramLabel = "N",
      description = "At most N fetches in flight to one host (default: ${DEFAULT-VALUE}).")
  int perHost = 2;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (WarcImporter.isArchive(source)) {
      return indexArchive(out, err);
    }
    ImageSource images = urlColumn != null || captionColumn != null ? namedColumns() : ImageSource.forLocation(source);
    if (images instanceof DatasetSource dataset) {
      checkColumns(dataset);
    }
    if (perHost < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--per-host must be at least 1, got: " + perHost);
    }
    LoupeConfig config = data.config();
    var ingest = config.ingest().withCommitEvery(commitEvery).withSkipKnownSources(!refresh)
        .withMaxPerHost(perHost);
    if (threads != null) {
      ingest = ingest.withThreads(threads);
    }
    config = config.withIngest(ingest);
    ProgressLine progress = new ProgressLine(err, Terminal.interactive());
    IngestReport report;
    try (SharedEngine engine = SharedEngine.open(config, model.dir())) {
      Loupe loupe = engine.loupe();
      err.println("indexing " + images.description()
          + (images.size() >= 0 ? " (" + images.size() + " images)" : "") + " into " + config.dataDir());
      // This command's ingest settings, also when the engine is a running server's.
      Ingestor ingestor = loupe.ingestor(config.ingest());
      report = ingestor.run(images, quiet ? p -> { } : progress);
    } finally {
      progress.finish();
    }
    return summarise(report, out, err);
  }

  /** A dataset read with the columns named on the command line. */
  private ImageSource namedColumns() throws IOException {
    java.nio.file.Path file = java.nio.file.Path.of(source);
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (!DatasetSource.isDataset(name) && !name.endsWith(".csv")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), (urlColumn != null ? "--url-column"
          : "--caption-column") + " applies to datasets (.parquet, .jsonl, .ndjson, .tsv, .csv), not to " + source);
    }
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(source, null, "no such file");
    }
    return DatasetSource.withColumns(file, urlColumn, captionColumn);
  }

  /** Says which option names a missing column, before anything is fetched. */
  private void checkColumns(DatasetSource dataset) throws IOException {
    try {
      dataset.checkColumns();
    } catch (DatasetSource.MissingColumnException e) {
      boolean url = e.role() == DatasetSource.Role.URL;
      String flag = url ? "--url-column" : "--caption-column";
      String given = url ? urlColumn : captionColumn;
      throw new IOException(source + ": no column " + (given != null ? given + " (" + flag + ")"
          : "named " + String.join(" or ", e.wanted()) + "; name it with " + flag)
          + "; its columns are: " + String.join(", ", e.columns()), e);
    }
  }

  /** A web archive: its pictures with the pages that embedded them, dated by the archive. */
  private int indexArchive(PrintWriter out, PrintWriter err) throws IOException {
    java.nio.file.Path file = java.nio.file.Path.of(source);
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(source, null, "no such file");
    }
    LoupeConfig config = data.config();
    ProgressLine progress = new ProgressLine(err, System.console() != null && System.console().isTerminal());
    IngestReport report;
    try (Loupe loupe = Loupe.open(config)) {
      err.println("indexing web archive " + source + " into " + config.dataDir());
      report = new WarcImporter(loupe.index(), loupe.analyzer()).run(file, quiet ? p -> { } : progress);
    } finally {
      progress.finish();
    }
    return summarise(report, out, err);
  }

  private static int summarise(IngestReport report, PrintWriter out, PrintWriter err) {
    for (IngestFailure f : report.failures()) {
      err.println("  failed: " + f.location() + ": " + f.message());
    }
    double seconds = report.elapsed().toNanos() / 1e9;
    out.printf("%d new images, %d new occurrences, %d seen again, %d already indexed, %d failed in %.1f s (%.1f images/s)%n",
        report.newImages(), report.newOccurrences(), report.seenAgain(), report.skipped(),
        report.failures().size(), seconds, report.processed() / Math.max(seconds, 1e-9));
    if (!report.failures().isEmpty()) {
      StringBuilder reasons = new StringBuilder("failed by reason:");
      report.failuresByReason().forEach((reason, count) -> reasons.append(' ').append(reason).append(": ")
          .append(count).append(','));
      out.println(reasons.substring(0, reasons.length() - 1));
    }
    return report.failures().isEmpty() ? 0 : 1;
  }
}
