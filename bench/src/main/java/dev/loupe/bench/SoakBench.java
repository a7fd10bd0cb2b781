package dev.loupe.bench;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.server.LoupeServer;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.server.ServerLimits;
import dev.loupe.server.responses.ResponsesRoutes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hostile load on a whole server: concurrent clients over image search and the Responses API with
 * a mix of valid, oversized and hostile images, at each concurrency level in turn. Reports
 * throughput, latency of admitted requests (p50, p99), status counts, {@code /healthz} latency
 * sampled every 250 ms, and the process's resident memory every 10 s.
 *
 * <p>The server runs in this JVM with the default {@link ServerLimits}, as {@link ServeBench}'s
 * does; clients are virtual threads of the same JVM, so RSS covers both (the clients hold little).
 * The mix, per request, drawn from one seeded {@link Random}: 35% search with a valid JPEG, 25%
 * Responses with a valid JPEG, 15% search with a 4000x3000 PNG (allowed, costly to decode), 10% a
 * zTXt bomb (2 MB inflating to 2 GiB), 10% a 20000x20000 pixel claim, 5% a URL with an octal host.
 * Clients wait the {@code Retry-After} of a 429 or 503 unless {@code --ignore-retry-after}.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Concurrent hostile and valid load over search and responses: throughput, p50/p99, statuses, health latency, RSS.")
public final class SoakBench implements Callable<Integer> {
  @Option(names = "--images", description = "Indexed images (default: ${DEFAULT-VALUE}).")
  int images = 10_000;

  @Option(names = "--levels", split = ",", description = "Concurrent clients, one level after another (default: 16,64).")
  List<Integer> levels = List.of(16, 64);

  @Option(names = "--seconds", description = "Seconds per level (default: ${DEFAULT-VALUE}).")
  int seconds = 600;

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/scratch/soak");

  @Option(names = "--ignore-retry-after",
      description = "Send the next request at once after a 429 or 503, as a hostile client would; by default"
          + " clients wait the Retry-After the server sends, as the OpenAI SDKs do.")
  boolean ignoreRetryAfter;

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  private enum Kind { SEARCH, RESPONSES, LARGE, BOMB, PIXEL_CLAIM, OCTAL_HOST }

  @Override
  public Integer call() throws Exception {
    Path data = work.resolve("data-" + images);
    byte[] original = ServeBench.jpeg(ServeBench.picture(seed, 1024, 768), 90);
    byte[] query = ServeBench.jpeg(ServeBench.picture(seed, 640, 480), 80);
    Map<Kind, String> bodies = new TreeMap<>();
    bodies.put(Kind.SEARCH, searchBody(dataUrl("image/jpeg", query)));
    bodies.put(Kind.RESPONSES, ServeBench.requestBody(query, false));
    bodies.put(Kind.LARGE, searchBody(dataUrl("image/png", png(ServeBench.picture(seed + 1, 4000, 3000)))));
    bodies.put(Kind.BOMB, searchBody(dataUrl("image/png", ztxtBomb(png(ServeBench.picture(seed, 64, 64)), 2048))));
    bodies.put(Kind.PIXEL_CLAIM, searchBody(dataUrl("image/png", pixelClaim(20_000, 20_000))));
    bodies.put(Kind.OCTAL_HOST, searchBody("http://0177.0.0.1/cat.jpg"));
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      if (loupe.index().stats().images() < images) {
        ServeBench.build(loupe, original, images, seed);
      }
      ServerLimits limits = ServerLimits.defaults();
      System.out.printf("soak benchmark: %d images, levels %s, %d s each, %d cores, max heap %d MiB, java %s, limits %s%n",
          loupe.index().stats().images(), levels, seconds, Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20, Runtime.version(), limits);
      try (ResponsesRoutes responses = ResponsesRoutes.forEngine(loupe, () -> "", ServerConfig.DEFAULT_MAX_REQUEST_BYTES)) {
        LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), limits, loupe, List.of(responses),
            List.of("builtin")).start();
        try {
          String base = "http://127.0.0.1:" + server.port();
          HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10)).build();
          for (int level : levels) {
            soak(client, base, bodies, level);
          }
        } finally {
          server.stop();
        }
      }
    }
    return 0;
  }

  private void soak(HttpClient client, String base, Map<Kind, String> bodies, int clients) throws Exception {
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Long> admitted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> health = new ConcurrentLinkedQueue<>();
    List<String> rss = new ArrayList<>();
    LongAdder requests = new LongAdder();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        Random random = new Random(seed * 1000 + clients * 100 + c);
        pool.submit(() -> {
          while (System.nanoTime() < end) {
            Kind kind = pick(random.nextInt(100));
            String path = kind == Kind.RESPONSES ? "/v1/responses" : "/v1/images/search";
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(kind))).build();
            long t0 = System.nanoTime();
            String status;
            long retryAfterSeconds = 0;
            try {
              HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
              status = Integer.toString(response.statusCode());
              retryAfterSeconds = response.headers().firstValueAsLong("retry-after").orElse(0);
            } catch (IOException e) {
              status = "io-error";
            }
            long took = System.nanoTime() - t0;
            if (!ignoreRetryAfter && retryAfterSeconds > 0) {
              Thread.sleep(retryAfterSeconds * 1000);
            }
            requests.increment();
            statuses.computeIfAbsent(kind + " " + status, k -> new LongAdder()).increment();
            if (status.equals("200")) {
              admitted.add(took);
            }
          }
          return null;
        });
      }
      pool.submit(() -> {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(base + "/healthz")).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          try {
            client.send(probe, HttpResponse.BodyHandlers.discarding());
            health.add(System.nanoTime() - t0);
          } catch (IOException e) {
            health.add(5_000_000_000L);
          }
          Thread.sleep(250);
        }
        return null;
      });
      while (System.nanoTime() < end) {
        rss.add(String.format("%ds:%dMiB", (System.nanoTime() - start) / 1_000_000_000L, rssMiB()));
        Thread.sleep(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      }
    }
    long[] ok = admitted.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] h = health.stream().mapToLong(Long::longValue).sorted().toArray();
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf("RESULT soak clients=%d retry_after=%s seconds=%.0f requests=%d requests_per_s=%.1f admitted_200=%d"
            + " admitted_p50_ms=%.0f admitted_p99_ms=%.0f health_samples=%d health_p50_ms=%.1f health_p99_ms=%.1f"
            + " health_max_ms=%.1f%n",
        clients, ignoreRetryAfter ? "ignored" : "honoured", elapsed, requests.sum(), requests.sum() / elapsed, ok.length,
        ok.length == 0 ? 0 : ScaleBench.ms(ok, 0.50), ok.length == 0 ? 0 : ScaleBench.ms(ok, 0.99), h.length,
        ScaleBench.ms(h, 0.50), ScaleBench.ms(h, 0.99), h[h.length - 1] / 1e6);
    System.out.println("RESULT soak statuses " + new TreeMap<>(statuses));
    System.out.println("RESULT soak rss " + rss + " end:" + rssMiB() + "MiB");
  }

  private static Kind pick(int percent) {
    return percent < 35 ? Kind.SEARCH : percent < 60 ? Kind.RESPONSES : percent < 75 ? Kind.LARGE
        : percent < 85 ? Kind.BOMB : percent < 95 ? Kind.PIXEL_CLAIM : Kind.OCTAL_HOST;
  }

  private static long rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
      }
    }
    return -1;
  }

  private static String searchBody(String imageUrl) {
    return "{\"image_url\":\"" + imageUrl + "\",\"top_k\":5}";
  }

  private static String dataUrl(String type, byte[] bytes) {
    return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** {@code png} with a zTXt chunk after IHDR whose stream inflates to {@code mib} MiB of zeros. */
  private static byte[] ztxtBomb(byte[] png, int mib) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    byte[] buffer = new byte[1 << 16];
    for (int i = 0; i < mib; i++) {
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        compressed.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      compressed.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
    data.writeBytes(compressed.toByteArray());
    int afterIhdr = 33;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, afterIhdr);
    chunk(out, "zTXt", data.toByteArray());
    out.write(png, afterIhdr, png.length - afterIhdr);
    return out.toByteArray();
  }

  /** A small PNG whose header claims {@code width x height} pixels. */
  private static byte[] pixelClaim(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(StandardCharsets.US_ASCII));
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(8).putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).array());
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
