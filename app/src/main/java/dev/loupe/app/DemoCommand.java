package dev.loupe.app;

import dev.loupe.engine.DataDirectory;
import dev.loupe.engine.Loupe;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.ingest.ImageSource;
import dev.loupe.ingest.IngestReport;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.server.http.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe demo}: indexes the bundled demo collection and runs the sample searches. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Index the bundled demo collection into its own index, search it, then serve it.",
    description = {"Index the bundled demo collection (demo/images), search it with each image in demo/queries,",
      "then serve it (as loupe serve) until interrupted, unless --no-serve. The demo keeps its own index",
      "($XDG_DATA_HOME/loupe-demo, else $HOME/.loupe-demo, or --data) and never writes into yours."})
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;

  @Option(names = "--demo-dir", paramLabel = "DIR",
      description = "The demo folder (default: demo/ in the Loupe checkout, from $LOUPE_HOME).")
  Path demoDir;

  @Option(names = {"-k", "--top-k"}, paramLabel = "N", description = "Hits per sample query (default: ${DEFAULT-VALUE}).")
  int topK = 3;

  @Option(names = "--port", paramLabel = "PORT", description = "Port to serve on afterwards (default: ${DEFAULT-VALUE}).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(names = "--no-serve", description = "Stop after the sample searches instead of starting the server.")
  boolean noServe;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = demoDir != null ? demoDir : defaultDemoDir();
    Path images = dir.resolve("images");
    Path queries = dir.resolve("queries");
    if (!Files.isDirectory(images)) {
      err.println("loupe demo: no demo collection at " + images + " (give --demo-dir)");
      return 1;
    }
    Loupe loupe = Loupe.open(data.config(DataDirectory.demo(data.dataDir, System.getenv())));
    try {
      ImageSource source = DirectorySource.scan(images);
      out.println("Indexing the demo collection: " + source.size() + " images from " + images);
      ProgressLine progress = new ProgressLine(err, Terminal.interactive());
      IngestReport report = loupe.ingestor().run(source, progress);
      progress.finish();
      out.printf("  %d new images, %d more occurrences of images already there, %d already indexed, %d failed, in %.1f s%n",
          report.newImages(), report.newOccurrences(), report.skipped(), report.failures().size(),
          report.elapsed().toNanos() / 1e9);
      var stats = loupe.index().stats();
      out.printf("  the index at %s holds %d images%n%n", loupe.config().dataDir(), stats.images());
      List<Path> queryFiles;
      try (Stream<Path> files = Files.list(queries)) {
        queryFiles = files.filter(p -> DirectorySource.isImageFileName(p.getFileName().toString())).sorted().toList();
      } catch (IOException e) {
        queryFiles = List.of();
      }
      for (Path query : queryFiles) {
        out.println("Search with " + query + ":");
        try {
          List<SearchHit> hits = loupe.searchLocation(query.toString(), SearchRequest.defaults().withTopK(topK));
          SearchCommand.printTable(out, hits);
        } catch (Exception e) {
          out.println("  " + Messages.describe(e));
        }
        out.println();
      }
      out.println("Try your own: ./loupe search <image or URL> [--json]   (./loupe --help for more)");
      out.println();
    } catch (RuntimeException | IOException e) {
      loupe.close();
      throw e;
    }
    if (noServe) {
      loupe.close();
      return 0;
    }
    return ServeCommand.serve(loupe, ServerConfig.defaults().withPort(port), out, err);
  }

  static Path defaultDemoDir() {
    String home = System.getenv("LOUPE_HOME");
    return home != null && !home.isBlank() ? Path.of(home, "demo") : Path.of("demo");
  }
}
