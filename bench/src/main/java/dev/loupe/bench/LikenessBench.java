package dev.loupe.bench;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.LikenessDescriptor;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Likeness benchmark: every image of the likeness dev set ({@link LikenessSetBuilder}) queries all
 * the others, ranked exactly (brute force, no HNSW approximation) by each method: the colour
 * histogram baseline, the copy-ranking descriptor of {@link FeatureExtractor}, and
 * {@link LikenessDescriptor}. Prints precision@10 per class and their mean, how often a
 * photograph's top 10 holds a graphic (stamp, icon, flag), and, for the likeness descriptor, what
 * a similarity floor keeps: precision of the hits kept and hits per query. With {@code --tune}, it
 * also prints the mean for a grid of block weights (each block's cosine is computed once; the
 * descriptor's cosine is their weighted mean with squared weights).
 */
@Command(name = "likeness", mixinStandardHelpOptions = true,
    description = "Precision@10 per class of the colour-histogram baseline, the copy descriptor and the likeness descriptor.")
public final class LikenessBench implements Callable<Integer> {
  static final int K = 10;

  @Option(names = "--set", description = "Likeness dev set folder (default: ${DEFAULT-VALUE}).")
  Path set = Path.of("bench/data/likeness");

  @Option(names = "--tune", description = "Also print the mean precision@10 over a grid of block weights.")
  boolean tune;

  /** A labelled image of the set. */
  record Item(String file, String label) {}

  @Override
  public Integer call() throws Exception {
    List<String> lines = Files.readAllLines(set.resolve("labels.csv"));
    List<Item> items = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", 3);
      items.add(new Item(f[0], f[1]));
    }
    int n = items.size();
    var loader = new ImageLoader(ImageLimits.defaults());
    var extractor = new FeatureExtractor();
    var scene = new LikenessDescriptor(new LikenessDescriptor.Weights(1, 0, 0));
    var colour = new LikenessDescriptor(new LikenessDescriptor.Weights(0, 1, 0));
    var kind = new LikenessDescriptor(new LikenessDescriptor.Weights(0, 0, 1));
    var likeness = new LikenessDescriptor();
    float[][] hist = new float[n][];
    float[][] old = new float[n][];
    float[][][] blocks = new float[3][n][];
    float[][] chosen = new float[n][];
    long nanos = 0;
    long extractNanos = 0;
    for (int i = 0; i < n; i++) {
      DecodedImage image = loader.decode(Files.readAllBytes(set.resolve(items.get(i).file())));
      hist[i] = ColourHistogram.of(image);
      long e = System.nanoTime();
      old[i] = extractor.extract(image).descriptor();
      extractNanos += System.nanoTime() - e;
      blocks[0][i] = scene.compute(image);
      blocks[1][i] = colour.compute(image);
      blocks[2][i] = kind.compute(image);
      long t = System.nanoTime();
      chosen[i] = likeness.compute(image);
      nanos += System.nanoTime() - t;
    }
    System.out.printf(Locale.ROOT, "likeness: %d images, %d classes; likeness descriptor %.2f ms per image, "
        + "FeatureExtractor.extract (hash and copy descriptor) %.2f ms (means, one thread, same run)%n",
        n, items.stream().map(Item::label).distinct().count(), nanos / 1e6 / n, extractNanos / 1e6 / n);

    double[][] baseline = matrix(n, (a, b) -> ColourHistogram.intersection(hist[a], hist[b]));
    double[][] copyDescriptor = matrix(n, (a, b) -> LikenessDescriptor.similarity(old[a], old[b]));
    double[][] likenessMatrix = matrix(n, (a, b) -> LikenessDescriptor.similarity(chosen[a], chosen[b]));
    double[][][] blockMatrix = new double[3][][];
    for (int k = 0; k < 3; k++) {
      float[][] v = blocks[k];
      blockMatrix[k] = matrix(n, (a, b) -> LikenessDescriptor.similarity(v[a], v[b]));
    }

    Map<String, double[]> perClass = new LinkedHashMap<>();
    String[] methods = {"colour histogram", "copy descriptor", "likeness"};
    double[][][] all = {baseline, copyDescriptor, likenessMatrix};
    for (int m = 0; m < all.length; m++) {
      double[] p = precisionAt(items, all[m]);
      for (int i = 0; i < n; i++) {
        perClass.computeIfAbsent(items.get(i).label(), l -> new double[methods.length + 1])[m] += p[i];
      }
    }
    Map<String, Integer> sizes = new LinkedHashMap<>();
    items.forEach(it -> sizes.merge(it.label(), 1, Integer::sum));
    System.out.printf(Locale.ROOT, "%n| class | images | %s |%n| --- | ---: | ---: | ---: | ---: |%n", String.join(" | ", methods));
    double[] mean = new double[methods.length];
    for (var e : perClass.entrySet()) {
      int size = sizes.get(e.getKey());
      StringBuilder row = new StringBuilder("| " + e.getKey() + " | " + size);
      for (int m = 0; m < methods.length; m++) {
        double v = e.getValue()[m] / size;
        mean[m] += v / perClass.size();
        row.append(String.format(Locale.ROOT, " | %.3f", v));
      }
      System.out.println(row + " |");
    }
    StringBuilder row = new StringBuilder("| **mean of classes** | " + n);
    for (double v : mean) {
      row.append(String.format(Locale.ROOT, " | **%.3f**", v));
    }
    System.out.println(row + " |");

    System.out.printf(Locale.ROOT, "%nsame kind (photograph, abstract, graphic = stamps, icons, flags) in the top %d:%n", K);
    System.out.printf(Locale.ROOT, "| kind | %s |%n| --- | ---: | ---: | ---: |%n", String.join(" | ", methods));
    double[][] byKind = new double[methods.length][];
    for (int m = 0; m < methods.length; m++) {
      byKind[m] = precisionAt(items, all[m], LikenessBench::kind);
    }
    for (String k : List.of("photograph", "abstract", "graphic")) {
      StringBuilder kindRow = new StringBuilder("| " + k);
      for (int m = 0; m < methods.length; m++) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
          if (kind(items.get(i).label()).equals(k)) {
            sum += byKind[m][i];
            count++;
          }
        }
        kindRow.append(String.format(Locale.ROOT, " | %.3f", sum / count));
      }
      System.out.println(kindRow + " |");
    }

    System.out.println();
    for (int m = 0; m < methods.length; m++) {
      System.out.printf(Locale.ROOT, "%s: graphics (stamp, icon, flag) among photographs' top %d: %d of %d%n",
          methods[m], K, graphicsForPhotos(items, all[m]), K * sizes.getOrDefault("photograph", 0));
    }
    floors(items, "likeness", likenessMatrix);
    floors(items, "copy descriptor (fallback for indexes without likeness descriptors)", copyDescriptor);
    if (tune) {
      tune(items, blockMatrix);
    }
    return 0;
  }

  interface Pair {
    double similarity(int a, int b);
  }

  static double[][] matrix(int n, Pair pair) {
    double[][] m = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        m[a][b] = m[b][a] = pair.similarity(a, b);
      }
      m[a][a] = Double.NaN;
    }
    return m;
  }

  /** The other images, most similar first (ties by index, so the order is reproducible). */
  static Integer[] ranking(double[][] m, int query) {
    Integer[] order = new Integer[m.length - 1];
    for (int i = 0, j = 0; i < m.length; i++) {
      if (i != query) {
        order[j++] = i;
      }
    }
    Arrays.sort(order, (a, b) -> {
      int c = Double.compare(m[query][b], m[query][a]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    return order;
  }

  /** Precision at {@link #K} of every query. */
  static double[] precisionAt(List<Item> items, double[][] m) {
    return precisionAt(items, m, java.util.function.Function.identity());
  }

  /** Precision at {@link #K} of every query, a hit counting when {@code group} maps it to the query's group. */
  static double[] precisionAt(List<Item> items, double[][] m, java.util.function.Function<String, String> group) {
    double[] p = new double[items.size()];
    for (int q = 0; q < items.size(); q++) {
      Integer[] order = ranking(m, q);
      int same = 0;
      for (int r = 0; r < K; r++) {
        if (group.apply(items.get(order[r]).label()).equals(group.apply(items.get(q).label()))) {
          same++;
        }
      }
      p[q] = same / (double) K;
    }
    return p;
  }

  static boolean graphic(String label) {
    return label.startsWith("stamp-") || label.equals("icon") || label.equals("flag");
  }

  static int graphicsForPhotos(List<Item> items, double[][] m) {
    int count = 0;
    for (int q = 0; q < items.size(); q++) {
      if (!items.get(q).label().equals("photograph")) {
        continue;
      }
      Integer[] order = ranking(m, q);
      for (int r = 0; r < K; r++) {
        if (graphic(items.get(order[r]).label())) {
          count++;
        }
      }
    }
    return count;
  }

  /** What a floor on the cosine keeps of each query's top 10. */
  /** The coarse kind of a class: a photograph, abstract art, or a graphic (stamps, icons, flags). */
  static String kind(String label) {
    return graphic(label) ? "graphic" : label;
  }

  static void floors(List<Item> items, String method, double[][] m) {
    System.out.printf(Locale.ROOT, "%nfloor on the %s cosine (score = 0.75 x cosine), over each query's top %d:%n", method, K);
    System.out.println("| cosine floor | score floor | precision of hits kept (class) | (kind) | hits per query, mean | queries with no hit |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int step = 8; step <= 19; step++) {
      double floor = step * 0.05;
      int kept = 0;
      int right = 0;
      int sameKind = 0;
      int empty = 0;
      for (int q = 0; q < items.size(); q++) {
        Integer[] order = ranking(m, q);
        int keptHere = 0;
        for (int r = 0; r < K; r++) {
          if (m[q][order[r]] >= floor) {
            keptHere++;
            if (items.get(order[r]).label().equals(items.get(q).label())) {
              right++;
            }
            if (kind(items.get(order[r]).label()).equals(kind(items.get(q).label()))) {
              sameKind++;
            }
          }
        }
        kept += keptHere;
        empty += keptHere == 0 ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "| %.2f | %.4f | %.3f | %.3f | %.2f | %d |%n", floor, 0.75 * floor,
          kept == 0 ? Double.NaN : right / (double) kept, kept == 0 ? Double.NaN : sameKind / (double) kept,
          kept / (double) items.size(), empty);
    }
  }

  static void tune(List<Item> items, double[][][] blocks) {
    System.out.println("\nweights (scene, colour, kind) -> mean precision@10 of classes, worst class");
    double[] grid = {0, 0.5, 1, 1.5, 2};
    int n = items.size();
    List<String> labels = items.stream().map(Item::label).distinct().toList();
    for (double s : grid) {
      for (double c : grid) {
        for (double k : grid) {
          if (s + c + k == 0) {
            continue;
          }
          double total = s * s + c * c + k * k;
          double[][] m = matrix(n, (a, b) -> (s * s * blocks[0][a][b] + c * c * blocks[1][a][b] + k * k * blocks[2][a][b]) / total);
          double[] p = precisionAt(items, m);
          double mean = 0;
          double worst = 1;
          for (String label : labels) {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < n; i++) {
              if (items.get(i).label().equals(label)) {
                sum += p[i];
                count++;
              }
            }
            mean += sum / count / labels.size();
            worst = Math.min(worst, sum / count);
          }
          System.out.printf(Locale.ROOT, "%.1f %.1f %.1f -> %.3f  %.3f%n", s, c, k, mean, worst);
        }
      }
    }
  }
}
