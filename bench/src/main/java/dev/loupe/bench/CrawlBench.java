package dev.loupe.bench;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.crawl.CrawlReport;
import dev.loupe.crawl.CrawlSettings;
import dev.loupe.crawl.Crawler;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Crawl throughput against loopback sites that answer every request after a fixed latency, one
 * site per loopback address (127.0.0.2, 127.0.0.3, …), each with a robots.txt {@code Crawl-delay}.
 * Each site's home page shows {@code --images} distinct JPEGs. The crawler runs with its real
 * fetcher, parser, analyzer and Lucene index in a fresh data directory; the sites record, per
 * host, the most requests in flight at once and the shortest pause between one response and the
 * next request, which show whether any host got more than its politeness allows.
 */
@Command(name = "crawl", mixinStandardHelpOptions = true,
    description = "Crawl throughput (images/s) over loopback hosts with added latency, politeness checked.")
public final class CrawlBench implements Callable<Integer> {
  @Option(names = "--hosts", description = "Sites, one per loopback address from 127.0.0.2 (default: ${DEFAULT-VALUE}).")
  int hosts = 20;

  @Option(names = "--images", description = "Images per site (default: ${DEFAULT-VALUE}).")
  int images = 60;

  @Option(names = "--latency-ms", description = "Added latency per request (default: ${DEFAULT-VALUE}).")
  long latencyMillis = 50;

  @Option(names = "--crawl-delay", description = "robots.txt Crawl-delay in seconds (default: ${DEFAULT-VALUE}).")
  String crawlDelay = "0.025";

  @Option(names = "--workers", description = "Crawler workers (default: ${DEFAULT-VALUE}).")
  int workers = 40;

  @Option(names = "--side", description = "Image width in pixels; height is 3/4 of it (default: ${DEFAULT-VALUE}).")
  int side = 320;

  @Option(names = "--runs", description = "Timed crawls; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs = 3;

  /** What one site saw. */
  private static final class HostLog {
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicLong lastEnd = new AtomicLong();
    final AtomicLong minGap = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong requests = new AtomicLong();
  }

  @Override
  public Integer call() throws Exception {
    List<HttpServer> servers = new ArrayList<>();
    List<HostLog> logs = new ArrayList<>();
    List<String> seeds = new ArrayList<>();
    try {
      for (int h = 0; h < hosts; h++) {
        String address = "127.0.0." + (2 + h);
        HostLog log = new HostLog();
        byte[][] pictures = new byte[images][];
        StringBuilder page = new StringBuilder("<title>Site ").append(h).append("</title>");
        for (int i = 0; i < images; i++) {
          pictures[i] = jpeg(h * 100_000L + i);
          page.append("<img src=\"/").append(i).append(".jpg\" alt=\"picture ").append(i).append("\">");
        }
        byte[] home = page.toString().getBytes(StandardCharsets.UTF_8);
        byte[] robots = ("User-agent: *\nCrawl-delay: " + crawlDelay + "\n").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        server.setExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bench-site-", 0).factory()));
        server.createContext("/", exchange -> {
          long start = System.nanoTime();
          int now = log.inFlight.incrementAndGet();
          log.maxInFlight.accumulateAndGet(now, Math::max);
          long previous = log.lastEnd.get();
          if (previous > 0) {
            log.minGap.accumulateAndGet(start - previous, Math::min);
          }
          log.requests.incrementAndGet();
          try (exchange) {
            Thread.sleep(latencyMillis);
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String type;
            if (path.equals("/robots.txt")) {
              body = robots;
              type = "text/plain";
            } else if (path.equals("/")) {
              body = home;
              type = "text/html; charset=utf-8";
            } else {
              body = pictures[Integer.parseInt(path.substring(1, path.indexOf('.')))];
              type = "image/jpeg";
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            log.inFlight.decrementAndGet();
            log.lastEnd.set(System.nanoTime());
          }
        });
        server.start();
        servers.add(server);
        logs.add(log);
        seeds.add("http://" + address + ":" + server.getAddress().getPort() + "/");
      }
      System.out.printf("%d hosts x %d images of %dx%d, %d ms latency per request, Crawl-delay %s s, %d workers, %d cores%n",
          hosts, images, side, side * 3 / 4, latencyMillis, crawlDelay, workers,
          Runtime.getRuntime().availableProcessors());
      double[] rates = new double[runs];
      for (int run = 0; run < runs; run++) {
        Path data = Files.createTempDirectory("loupe-crawl-bench-");
        LoupeConfig config = LoupeConfig.defaults(data);
        config = config.withFetchPolicy(config.fetchPolicy().withPrivateAddressesAllowed());
        logs.forEach(l -> {
          l.maxInFlight.set(0);
          l.minGap.set(Long.MAX_VALUE);
          l.lastEnd.set(0);
          l.requests.set(0);
        });
        CrawlReport report;
        try (Loupe loupe = Loupe.open(config)) {
          Crawler crawler = new Crawler(loupe.index(), loupe.fetcher(), loupe.analyzer(),
              Crawler.frontierFile(data), CrawlSettings.defaults().withWorkers(workers)
                  .withLimits(1, 10_000, 1_000_000, hosts + 1, 1L << 40), Clock.systemUTC());
          report = crawler.run(seeds, true, p -> { });
        } finally {
          deleteTree(data);
        }
        double seconds = report.elapsed().toNanos() / 1e9;
        rates[run] = report.images() / seconds;
        int maxInFlight = logs.stream().mapToInt(l -> l.maxInFlight.get()).max().orElse(0);
        long minGap = logs.stream().mapToLong(l -> l.minGap.get()).min().orElse(0);
        long maxRequests = logs.stream().mapToLong(l -> l.requests.get()).max().orElse(0);
        System.out.printf("run %d: %d images (%d new) in %.2f s = %.1f images/s; %d failures;"
                + " per host: at most %d request(s) in flight, shortest pause %.1f ms, most requests %d (%.1f/s)%n",
            run + 1, report.images(), report.newImages(), seconds, rates[run], report.failures().size(),
            maxInFlight, minGap / 1e6, maxRequests, maxRequests / seconds);
        if (!report.failures().isEmpty()) {
          System.out.println("  first failure: " + report.failures().getFirst());
        }
      }
      Arrays.sort(rates);
      System.out.printf("median %.1f images/s over %d runs%n", rates[runs / 2], runs);
      return 0;
    } finally {
      servers.forEach(s -> s.stop(0));
    }
  }

  private byte[] jpeg(long seed) throws IOException {
    Random random = new Random(seed);
    int width = side;
    int height = side * 3 / 4;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(random.nextInt(0xffffff)));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 30; i++) {
      g.setColor(new Color(random.nextInt(0xffffff)));
      int x = random.nextInt(width);
      int y = random.nextInt(height);
      if (random.nextBoolean()) {
        g.fillRect(x, y, 1 + random.nextInt(width / 3), 1 + random.nextInt(height / 3));
      } else {
        g.fillOval(x, y, 1 + random.nextInt(width / 3), 1 + random.nextInt(height / 3));
      }
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
