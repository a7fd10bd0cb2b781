package dev.loupe.bench;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.FeatureExtractor;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.Occurrence;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.server.LoupeServer;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.server.responses.ResponsesRoutes;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Responses API over HTTP: time to the first SSE byte, and throughput and latency of
 * non-streaming {@code POST /v1/responses} with a data-URL image under concurrent clients.
 *
 * <p>The server runs in this JVM on loopback and the clients are virtual threads of the same JVM,
 * so clients and server share the machine's cores, as they would with any load generator on the
 * same host. The index holds N images with synthetic signatures (decode-free, as in
 * {@link ScaleBench}) plus one real picture that the query is a copy of, so every request runs the
 * whole path: parse, decode the data URL, sign, search, summarise, count tokens, store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Time to first SSE byte; requests/s and p99 of POST /v1/responses with concurrent clients.")
public final class ServeBench implements Callable<Integer> {
  @Option(names = "--images", description = "Indexed images (default: ${DEFAULT-VALUE}).")
  int images = 100_000;

  @Option(names = "--clients", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients = 16;

  @Option(names = "--seconds", description = "Timed load, after the warm-up (default: ${DEFAULT-VALUE}).")
  int seconds = 30;

  @Option(names = "--warmup-seconds", description = "Untimed load first (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 10;

  @Option(names = "--ttfb-requests", description = "Sequential streaming requests timed to the first byte (default: ${DEFAULT-VALUE}).")
  int ttfbRequests = 300;

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/scratch/serve");

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Override
  public Integer call() throws Exception {
    Path data = work.resolve("data-" + images);
    byte[] original = jpeg(picture(seed, 1024, 768), 90);
    byte[] query = jpeg(picture(seed, 640, 480), 80);
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      if (loupe.index().stats().images() < images) {
        build(loupe, original, images, seed);
      }
      System.out.printf("serve benchmark: %d images, %d clients, %d s after %d s warm-up, %d cores, java %s%n",
          loupe.index().stats().images(), clients, seconds, warmupSeconds, Runtime.getRuntime().availableProcessors(),
          Runtime.version());
      AtomicReference<String> base = new AtomicReference<>();
      try (ResponsesRoutes responses = ResponsesRoutes.forEngine(loupe, base::get, ServerConfig.DEFAULT_MAX_REQUEST_BYTES)) {
        LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of(responses)).start();
        base.set("http://127.0.0.1:" + server.port());
        try {
          String body = requestBody(query, false);
          String streamBody = requestBody(query, true);
          URI uri = URI.create(base.get() + "/v1/responses");
          HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          timeToFirstByte(client, uri, streamBody);
          load(client, uri, body);
        } finally {
          server.stop();
        }
      }
    }
    return 0;
  }

  /** Fills {@code loupe} with {@code images - 1} synthetic signatures plus {@code original}, ingested. */
  static void build(Loupe loupe, byte[] original, int images, long seed) throws Exception {
    long start = System.nanoTime();
    Random random = new Random(seed);
    ImageMetadata meta = new ImageMetadata("jpeg", 1600, 1200, new byte[0]);
    Instant t0 = Instant.parse("2020-01-01T00:00:00Z");
    for (int i = 0; i < images - 1; i++) {
      loupe.index().add(ScaleBench.randomSignature(random, FeatureExtractor.DESCRIPTOR_DIMENSIONS), meta,
          Occurrence.of("https://site.example/" + i + ".jpg", "https://site.example/" + i + ".jpg", null, "image " + i,
              t0.plusSeconds(i)));
      if ((i + 1) % 50_000 == 0) {
        loupe.index().commit();
      }
    }
    loupe.ingestor().add(original, new ImageRecord("https://photos.example/original.jpg", "The original",
        "https://photos.example/gallery", t0));
    loupe.index().commit();
    System.out.printf("built an index of %d images in %.0f s%n", images, (System.nanoTime() - start) / 1e9);
  }

  private void timeToFirstByte(HttpClient client, URI uri, String body) throws Exception {
    long[] nanos = new long[ttfbRequests];
    for (int i = -20; i < ttfbRequests; i++) {
      HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      long start = System.nanoTime();
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (in.read() < 0 || response.statusCode() != 200) {
          throw new IllegalStateException("streaming request failed: HTTP " + response.statusCode());
        }
        long took = System.nanoTime() - start;
        if (i >= 0) {
          nanos[i] = took;
        }
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    Arrays.sort(nanos);
    System.out.printf("RESULT first_sse_byte p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f (%d sequential streaming requests)%n",
        ScaleBench.ms(nanos, 0.50), ScaleBench.ms(nanos, 0.90), ScaleBench.ms(nanos, 0.99),
        ttfbRequests);
  }

  private void load(HttpClient client, URI uri, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
    long end = warmupEnd + seconds * 1_000_000_000L;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<long[]>> workers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        workers.add(pool.submit(() -> {
          List<Long> latencies = new ArrayList<>();
          long errors = 0;
          while (true) {
            long start = System.nanoTime();
            if (start >= end) {
              break;
            }
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - start;
            boolean ok = response.statusCode() == 200
                && new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).contains("\"status\":\"completed\"");
            if (start >= warmupEnd) {
              latencies.add(took);
              if (!ok) {
                errors++;
              }
            }
          }
          long[] out = new long[latencies.size() + 1];
          out[0] = errors;
          for (int i = 0; i < latencies.size(); i++) {
            out[i + 1] = latencies.get(i);
          }
          return out;
        }));
      }
      List<Long> all = new ArrayList<>();
      long errors = 0;
      for (Future<long[]> w : workers) {
        long[] r = w.get();
        errors += r[0];
        for (int i = 1; i < r.length; i++) {
          all.add(r[i]);
        }
      }
      long[] nanos = all.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("RESULT responses_non_streaming clients=%d requests=%d errors=%d requests_per_s=%.1f "
              + "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f%n",
          clients, nanos.length, errors, nanos.length / (double) seconds, ScaleBench.ms(nanos, 0.50),
          ScaleBench.ms(nanos, 0.90), ScaleBench.ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
    }
  }

  static String requestBody(byte[] image, boolean stream) {
    String dataUrl = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(image);
    return "{\"model\":\"builtin\",\"stream\":" + stream + ",\"tools\":[{\"type\":\"image_search\"}],"
        + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Where else does this appear?\"},"
        + "{\"type\":\"input_image\",\"image_url\":\"" + dataUrl + "\"}]}]}";
  }

  /** A busy picture (shapes and lines), the same for the same seed at any size. */
  static BufferedImage picture(long seed, int width, int height) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.scale(width / 1024.0, height / 768.0);
    g.setPaint(new java.awt.GradientPaint(0, 0, new Color(random.nextInt(0xffffff)), 1024, 768,
        new Color(random.nextInt(0xffffff))));
    g.fillRect(0, 0, 1024, 768);
    for (int i = 0; i < 60; i++) {
      g.setColor(new Color(random.nextInt(0xffffff)));
      g.fillOval(random.nextInt(1024), random.nextInt(768), 20 + random.nextInt(300), 20 + random.nextInt(300));
    }
    g.dispose();
    return image;
  }

  static byte[] jpeg(BufferedImage image, int quality) throws Exception {
    var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    var params = writer.getDefaultWriteParam();
    params.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
    params.setCompressionQuality(quality / 100f);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new javax.imageio.IIOImage(image, null, null), params);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
