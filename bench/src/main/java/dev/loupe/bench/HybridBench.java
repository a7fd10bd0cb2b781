package dev.loupe.bench;

import dev.loupe.embed.EmbeddingModel;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.search.EmbeddingQuery;
import dev.loupe.search.HybridScoring;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Chooses the hybrid scoring: "pictures laid out like this one, but in COLOUR". A labelled set of
 * generated pictures (6 colours x 4 layouts, a white block in one quadrant, x 3 sizes); each picture is the query image with each
 * other colour's word as the text; the relevant hits are the 3 pictures of that layout in that
 * colour. Reports precision@3 of the similar hits for image only, text only, the weighted sum at
 * several text weights and reciprocal-rank fusion, with the tiny colour model (a toy: its embedding
 * is colour and layout only, so this measures the fusion rules, not a real model's quality).
 */
@Command(name = "hybrid", mixinStandardHelpOptions = true,
    description = "Hybrid (image + text) scoring rules compared on a labelled set of generated pictures.")
public final class HybridBench implements Callable<Integer> {
  @Option(names = "--model", description = "Model directory with a text tower (default: ${DEFAULT-VALUE}).")
  Path model = Path.of("engine/src/test/models/tiny-colour");

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/target/hybrid");

  private static final Map<String, Color> COLOURS = new LinkedHashMap<>();

  static {
    COLOURS.put("red", Color.RED);
    COLOURS.put("green", Color.GREEN);
    COLOURS.put("blue", Color.BLUE);
    COLOURS.put("yellow", Color.YELLOW);
    COLOURS.put("cyan", Color.CYAN);
    COLOURS.put("magenta", Color.MAGENTA);
  }

  private static final int LAYOUTS = 4;
  private static final int VARIANTS = 3;

  @Override
  public Integer call() throws Exception {
    Path photos = work.resolve("photos");
    Path data = work.resolve("data-" + System.nanoTime());
    Files.createDirectories(photos);
    for (Map.Entry<String, Color> c : COLOURS.entrySet()) {
      for (int layout = 0; layout < LAYOUTS; layout++) {
        for (int v = 0; v < VARIANTS; v++) {
          Path file = photos.resolve(c.getKey() + "_" + layout + "_" + v + ".png");
          if (!Files.exists(file)) {
            Files.write(file, png(picture(c.getValue(), Color.WHITE, layout, 160 + 40 * v, 120 + 10 * v)));
          }
        }
      }
    }
    Map<String, double[]> precision = new LinkedHashMap<>();
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data), model)) {
      loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
      EmbeddingModel m = loupe.embeddingModel().orElseThrow();
      SearchRequest request = SearchRequest.defaults().withTopK(VARIANTS).withKinds(Set.of(MatchKind.SIMILAR));
      Map<String, java.util.function.BiFunction<float[], float[], EmbeddingQuery>> rules = new LinkedHashMap<>();
      rules.put("image only", (img, txt) -> EmbeddingQuery.of(img, null));
      rules.put("text only", (img, txt) -> EmbeddingQuery.of(null, txt));
      for (double w : new double[] {0.3, 0.5, 0.7}) {
        rules.put(String.format(Locale.ROOT, "weighted sum, w=%.1f", w), (img, txt) ->
            new EmbeddingQuery(img, txt, w, HybridScoring.WEIGHTED_SUM, EmbeddingQuery.DEFAULT_FLOOR));
      }
      for (double w : new double[] {0.5, 0.7}) {
        rules.put(String.format(Locale.ROOT, "reciprocal rank, w=%.1f", w), (img, txt) ->
            new EmbeddingQuery(img, txt, w, HybridScoring.RECIPROCAL_RANK, EmbeddingQuery.DEFAULT_FLOOR));
      }
      rules.keySet().forEach(r -> precision.put(r, new double[2]));
      for (String colour : COLOURS.keySet()) {
        for (int layout = 0; layout < LAYOUTS; layout++) {
          for (int v = 0; v < VARIANTS; v++) {
            ImageAnalyzer.Analysis query = loupe.analyzer().analyzeQuery(
                Files.readAllBytes(photos.resolve(colour + "_" + layout + "_" + v + ".png")));
            float[] image = m.embedImage(query.image());
            for (String wanted : COLOURS.keySet()) {
              if (wanted.equals(colour)) {
                continue;
              }
              float[] text = m.embedText(wanted);
              String relevant = wanted + "_" + layout + "_";
              for (var rule : rules.entrySet()) {
                List<SearchHit> hits = loupe.searcher().search(loupe.queryOf(query), rule.getValue().apply(image, text),
                    request);
                long good = hits.stream().filter(h -> h.title().startsWith(relevant)).count();
                double[] acc = precision.get(rule.getKey());
                acc[0] += (double) good / VARIANTS;
                acc[1]++;
              }
            }
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "%d pictures, %d queries (picture + another colour's word), relevant: same layout "
        + "in that colour (%d each)%n", COLOURS.size() * LAYOUTS * VARIANTS,
        COLOURS.size() * LAYOUTS * VARIANTS * (COLOURS.size() - 1), VARIANTS);
    for (var e : precision.entrySet()) {
      System.out.printf(Locale.ROOT, "  %-26s precision@%d %.3f%n", e.getKey(), VARIANTS, e.getValue()[0] / e.getValue()[1]);
    }
    return 0;
  }

  /** One colour, with a block of another colour in one of four places (the layout). */
  private static BufferedImage picture(Color main, Color block, int layout, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(main);
    g.fillRect(0, 0, width, height);
    g.setColor(block);
    int x = (layout % 2) * width / 2;
    int y = (layout / 2) * height / 2;
    g.fillRect(x, y, width / 2, height / 2);
    g.dispose();
    return image;
  }

  private static byte[] png(BufferedImage image) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
