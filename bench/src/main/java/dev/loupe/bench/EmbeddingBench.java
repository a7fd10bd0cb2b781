package dev.loupe.bench;

import dev.loupe.embed.EmbeddingModel;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import dev.loupe.index.EmbeddingIndex;
import dev.loupe.index.EmbeddingSpace;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Embedding cost with a model of ViT-B/32's size and compute (generated with random weights by
 * {@code engine/src/test/models/make_tiny_models.py --vit-b32}, about 350 MB, kept out of the
 * repository): images per second through the batch pool, one query image's latency, the vector
 * search's latency, and the bytes per image of the stored vectors.
 */
@Command(name = "embeddings", mixinStandardHelpOptions = true,
    description = "Embedding throughput, query latency and vector bytes per image with a ViT-B/32-sized model.")
public final class EmbeddingBench implements Callable<Integer> {
  @Option(names = "--model", description = "Model directory (default: generate the ViT-B/32-sized one under --work).")
  Path model;

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/target/embeddings");

  @Option(names = "--images", description = "Images embedded per throughput run (default: ${DEFAULT-VALUE}).")
  int images = 48;

  @Option(names = "--queries", description = "Single-image embeddings timed for latency (default: ${DEFAULT-VALUE}).")
  int queries = 30;

  @Option(names = "--vectors", description = "Random unit vectors indexed for search latency and bytes (default: ${DEFAULT-VALUE}).")
  int vectors = 20_000;

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 20261202L;

  @Override
  public Integer call() throws Exception {
    Path dir = model != null ? model : generated();
    Random random = new Random(seed);
    List<DecodedImage> pictures = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      pictures.add(picture(random, 512, 384));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "model %s, %d cores visible%n", dir.getFileName(), cores);
    for (int[] config : new int[][] {{2, 1}, {1, 2}}) {
      try (EmbeddingModel m = EmbeddingModel.open(dir, config[0], config[1])) {
        m.embedImages(pictures.subList(0, Math.min(4, pictures.size()))); // warm-up
        double[] rates = new double[3];
        for (int run = 0; run < rates.length; run++) {
          long t = System.nanoTime();
          m.embedImages(pictures);
          rates[run] = pictures.size() / ((System.nanoTime() - t) / 1e9);
        }
        System.out.printf(Locale.ROOT, "throughput, %d workers x %d threads: median %.2f images/s (runs %s)%n",
            config[0], config[1], median(rates), fmt(rates));
      }
    }
    int dimension;
    try (EmbeddingModel m = EmbeddingModel.open(dir, 1, 2)) {
      dimension = m.dimension();
      m.embedImage(pictures.getFirst());
      double[] ms = new double[queries];
      for (int i = 0; i < queries; i++) {
        long t = System.nanoTime();
        m.embedImage(pictures.get(i % pictures.size()));
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      System.out.printf(Locale.ROOT, "query image embedding, 2 threads: median %.1f ms, p90 %.1f ms%n", median(ms),
          percentile(ms, 0.9));
    }
    Path indexDir = work.resolve("vectors-" + dimension);
    deleteTree(indexDir);
    try (EmbeddingIndex index = EmbeddingIndex.open(indexDir)) {
      index.bind(new EmbeddingSpace("bench", dimension, Map.of("visual/model.onnx", "random"), ""));
      for (int i = 0; i < vectors; i++) {
        index.put(String.format(Locale.ROOT, "%020d", i), unit(random, dimension));
      }
      index.commit();
      long bytes;
      try (Stream<Path> files = Files.list(indexDir)) {
        bytes = files.mapToLong(f -> f.toFile().length()).sum();
      }
      System.out.printf(Locale.ROOT, "vectors: %d of %d dimensions, %.0f bytes per image on disk (raw floats %d)%n",
          vectors, dimension, (double) bytes / vectors, 4 * dimension);
      index.nearest(unit(random, dimension), 100);
      double[] ms = new double[200];
      for (int i = 0; i < ms.length; i++) {
        float[] q = unit(random, dimension);
        long t = System.nanoTime();
        index.nearest(q, 100);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      System.out.printf(Locale.ROOT, "vector search, k=100 over %d: median %.2f ms, p90 %.2f ms%n", vectors,
          median(ms), percentile(ms, 0.9));
    }
    return 0;
  }

  private Path generated() throws Exception {
    Path dir = work.resolve("vit-b32-sized");
    if (!Files.exists(dir.resolve("visual/model.onnx"))) {
      Files.createDirectories(work);
      Process p = new ProcessBuilder("/usr/bin/python3", "engine/src/test/models/make_tiny_models.py", "--vit-b32",
          dir.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("generating the ViT-B/32-sized model failed; it needs Debian's "
            + "python3-onnx and python3-numpy (apt-get install python3-onnx python3-numpy)");
      }
    }
    return dir;
  }

  /** A photo-like picture: a gradient and a few shapes in random colours. */
  private static DecodedImage picture(Random random, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xFFFFFF)), width, height,
        new Color(random.nextInt(0xFFFFFF))));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 5; i++) {
      g.setColor(new Color(random.nextInt(0xFFFFFF)));
      g.fillOval(random.nextInt(width), random.nextInt(height), 20 + random.nextInt(200), 20 + random.nextInt(200));
    }
    g.dispose();
    return DecodedImage.of(ImageFormat.JPEG, image);
  }

  private static float[] unit(Random random, int n) {
    float[] v = new float[n];
    double s = 0;
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
      s += v[i] * v[i];
    }
    for (int i = 0; i < n; i++) {
      v[i] /= (float) Math.sqrt(s);
    }
    return v;
  }

  static double median(double[] values) {
    return percentile(values, 0.5);
  }

  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  private static String fmt(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v));
    }
    return s.toString();
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
