package dev.loupe.app;

import dev.loupe.crawl.CrawlFailure;
import dev.loupe.crawl.CrawlReport;
import dev.loupe.crawl.CrawlScope;
import dev.loupe.crawl.CrawlSettings;
import dev.loupe.crawl.Crawler;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loupe crawl}: crawls sites politely and indexes their pictures with the pages they are on. */
@Command(
    name = "crawl",
    mixinStandardHelpOptions = true,
    description = {
      "Crawl web sites from seed pages or sitemaps and index every picture with its page, title and date.",
      "Honours robots.txt (token LoupeBot), Crawl-delay, meta robots and X-Robots-Tag (noindex,",
      "noimageindex, noai, noimageai, nofollow). Ctrl-C stops cleanly; the same command resumes;",
      "run it again after it finished to recrawl (conditional GETs; provenance grows over time)."
    })
final class CrawlCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;

  @Parameters(paramLabel = "URL", arity = "1..*",
      description = "Seed pages, or sitemaps (.xml, .xml.gz, or a path naming a sitemap).")
  List<String> seeds;

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "Pages followed: host, domain (same registrable domain) or any (default: ${DEFAULT-VALUE}).")
  String scope = "host";

  @Option(names = "--include", paramLabel = "REGEX", description = "Only follow page URLs this pattern finds.")
  Pattern include;

  @Option(names = "--depth", paramLabel = "N", description = "Most links followed from a seed (default: ${DEFAULT-VALUE}).")
  int depth = 3;

  @Option(names = "--max-pages", paramLabel = "N", description = "Most pages (default: ${DEFAULT-VALUE}).")
  long maxPages = 1000;

  @Option(names = "--max-images", paramLabel = "N", description = "Most image sightings (default: ${DEFAULT-VALUE}).")
  long maxImages = 10_000;

  @Option(names = "--max-hosts", paramLabel = "N", description = "Most hosts contacted (default: ${DEFAULT-VALUE}).")
  int maxHosts = 50;

  @Option(names = "--max-mb", paramLabel = "MB", description = "Stop after reading this many MiB (default: ${DEFAULT-VALUE}).")
  long maxMegabytes = 1024;

  @Option(names = "--delay-ms", paramLabel = "MS",
      description = "Pause between requests to one host when robots.txt sets no Crawl-delay (default: ${DEFAULT-VALUE}).")
  long delayMillis = 1000;

  @Option(names = "--workers", paramLabel = "N",
      description = "Requests in flight, all hosts together; one per host (default: ${DEFAULT-VALUE}).")
  int workers = 16;

  @Option(names = "--fresh", description = "Start a new run even if the last one with these seeds was interrupted.")
  boolean fresh;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CrawlScope crawlScope = switch (scope) {
      case "host" -> CrawlScope.HOST;
      case "domain" -> CrawlScope.DOMAIN;
      case "any" -> CrawlScope.ANY;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--scope must be host, domain or any, got: " + scope);
    };
    CrawlSettings settings = CrawlSettings.defaults().withScope(crawlScope, include)
        .withLimits(depth, maxPages, maxImages, maxHosts, maxMegabytes << 20)
        .withDefaultDelay(Duration.ofMillis(delayMillis)).withWorkers(workers);
    LoupeConfig config = data.config();
    ProgressLine progress = new ProgressLine(err, System.console() != null && System.console().isTerminal());
    CrawlReport report;
    CountDownLatch closed = new CountDownLatch(1);
    try (Loupe loupe = Loupe.open(config)) {
      Crawler crawler = new Crawler(loupe.index(), loupe.fetcher(), loupe.analyzer(),
          Crawler.frontierFile(config.dataDir()), settings, Clock.systemUTC());
      // Ctrl-C: stop taking work, commit what is done, close the index; the next run resumes.
      Thread hook = Thread.ofPlatform().name("loupe-crawl-stop").unstarted(() -> {
        crawler.stop();
        try {
          closed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        err.println("crawling " + String.join(" ", seeds) + " into " + config.dataDir());
        report = crawler.run(seeds, fresh, quiet ? p -> { } : p -> progress.show(p.line(), false));
      } finally {
        progress.finish();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook is running and waits for the close below.
        }
      }
    } finally {
      closed.countDown();
    }
    for (CrawlFailure f : report.failures()) {
      err.println("  failed: " + f.message());
    }
    report.skipped().forEach((reason, n) -> err.println("  skipped (" + reason + "): " + n));
    double seconds = report.elapsed().toNanos() / 1e9;
    out.printf("%s%d pages read, %d unchanged, %d new images, %d new occurrences, %d seen again, %d failed,"
            + " %.1f MB in %.1f s (%.1f images/s)%n",
        report.resumed() ? "resumed: " : "", report.pagesFetched(), report.pagesUnchanged(),
        report.newImages(), report.newOccurrences(), report.seenAgain(), report.failures().size(),
        report.bytes() / 1e6, seconds, report.images() / Math.max(seconds, 1e-9));
    return report.failures().isEmpty() ? 0 : 1;
  }
}
