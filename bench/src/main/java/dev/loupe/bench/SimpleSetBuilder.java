package dev.loupe.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Builds the simple-graphics set of the quality benchmark: flags and symbolic icons from Debian
 * packages, pictures whose layouts repeat across the set (tricolours, crosses, one glyph in several
 * variants), so that a copy claim between two of them is a false claim (docs/devset.md).
 *
 * <p>Writes, in the layout {@link QualityBench} reads: {@code originals/} (PNG, long side
 * {@value #LONG_SIDE} px, flattened on white), an empty {@code distractors/}, {@code
 * queries/<edit>/} (the legitimate edits {@link #EDITS} of every original), {@code negatives/}
 * (every {@value #NEGATIVE_EVERY}th picture is held out of the index and written once with one
 * of the edits) and {@code manifest.csv}. Pictures whose 16 x 16 colour thumbnails differ from an
 * earlier one by less than {@value #SAME_PICTURE_LEVELS} levels on average are the same picture
 * drawn twice (Norway and Svalbard), or turned or mirrored (an icon and its right-to-left or
 * upside-down twin), or are one another in other shades (one icon in black and in grey: {@link
 * #brighterTwin}), and are skipped.
 * One seeded {@code java.util.Random} draws every choice; the output is the same for a given seed
 * and package versions.
 */
@Command(name = "simpleset", mixinStandardHelpOptions = true,
    description = "Builds the simple-graphics set (flags, symbolic icons) from installed Debian packages.")
public final class SimpleSetBuilder implements Callable<Integer> {
  /** Keep in sync with bench/fetch-data.sh. */
  static final List<String> PACKAGES = List.of("iso-flags-png-320x240", "adwaita-icon-theme");
  static final List<Edit> EDITS = List.of(Edit.DOWNSCALE25, Edit.JPEG15, Edit.GRAYSCALE, Edit.BRIGHTNESS_CONTRAST,
      Edit.BORDER15);
  static final int LONG_SIDE = 320;
  static final int NEGATIVE_EVERY = 4;
  static final double SAME_PICTURE_LEVELS = 6;
  /** Smallest contrast change (gain, or its inverse) between two shades of one picture. */
  static final double MIN_TWIN_GAIN = 0.2;

  @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("bench/data/simple");

  @Option(names = "--seed", description = "Seed of the one random generator (default: ${DEFAULT-VALUE}).")
  long seed = 20_261_202L;

  @Option(names = "--share", description = "Debian data directory (default: ${DEFAULT-VALUE}).")
  Path share = Path.of("/usr/share");

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new SimpleSetBuilder()).execute(args));
  }

  /** The source files, sorted: the 320 x 240 ISO flags, and Adwaita's 96 px symbolic icons. */
  List<Path> sources() throws IOException {
    List<Path> files = new ArrayList<>();
    files.addAll(list(share.resolve("iso-flags-png-320x240"), ".png"));
    files.addAll(list(share.resolve("icons/Adwaita/96x96"), "-symbolic.symbolic.png"));
    if (files.isEmpty()) {
      throw new IOException("no flags or icons under " + share + "; install " + PACKAGES);
    }
    return files;
  }

  private static List<Path> list(Path root, String suffix) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("missing " + root + "; install " + PACKAGES);
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    System.out.println("simpleset: seed " + seed + ", output " + out.toAbsolutePath());
    for (String part : List.of("originals", "distractors", "queries", "negatives")) {
      ScaleBench.deleteRecursively(out.resolve(part));
      Files.createDirectories(out.resolve(part));
    }
    for (Edit edit : EDITS) {
      Files.createDirectories(out.resolve("queries").resolve(edit.wireName()));
    }
    var random = new Random(seed);
    var manifest = new StringBuilder("query_file,edit,expected_original_file\n");
    var provenance = new StringBuilder("file,source\n");
    List<float[]> kept = new ArrayList<>();
    int skipped = 0;
    int originals = 0;
    int negatives = 0;
    for (Path source : sources()) {
      BufferedImage image = normalised(ImageIO.read(source.toFile()));
      float[] thumb = thumbnail(image);
      // A picture turned or mirrored is a copy for Loupe (docs/local-features.md), so an icon's
      // right-to-left twin, or its upside-down one, is the same picture too.
      List<float[]> turns = dihedral(thumb);
      if (kept.stream().anyMatch(k -> turns.stream().anyMatch(t -> meanDifference(k, t) < SAME_PICTURE_LEVELS
          || brighterTwin(k, t)))) {
        skipped++;
        continue;
      }
      kept.add(thumb);
      String name = name(source);
      if (kept.size() % NEGATIVE_EVERY == 0) {
        Edit edit = EDITS.get(random.nextInt(EDITS.size()));
        String file = "negatives/" + name + "-" + edit.wireName() + ".jpg";
        Files.write(out.resolve(file), edit.encode(image, random));
        manifest.append(file).append(',').append(edit.wireName()).append(",\n");
        provenance.append(file).append(',').append(source).append('\n');
        negatives++;
        continue;
      }
      String original = "originals/" + name + ".png";
      ImageIO.write(image, "png", out.resolve(original).toFile());
      provenance.append(original).append(',').append(source).append('\n');
      for (Edit edit : EDITS) {
        String file = "queries/" + edit.wireName() + "/" + name + ".jpg";
        Files.write(out.resolve(file), edit.encode(image, random));
        manifest.append(file).append(',').append(edit.wireName()).append(',').append(original).append('\n');
      }
      originals++;
    }
    Files.writeString(out.resolve("manifest.csv"), manifest, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("sources.csv"), provenance, StandardCharsets.UTF_8);
    System.out.printf(Locale.ROOT, "simpleset: %d originals, %d queries, %d negatives, %d skipped as the same picture,"
        + " %.0f s (seed %d)%n", originals, originals * EDITS.size(), negatives, skipped,
        (System.nanoTime() - start) / 1e9, seed);
    return 0;
  }

  /** Flattened on white and scaled to a long side of {@value #LONG_SIDE} px, as BGR. */
  static BufferedImage normalised(BufferedImage src) {
    double factor = (double) LONG_SIDE / Math.max(src.getWidth(), src.getHeight());
    int w = Math.max(1, (int) Math.round(src.getWidth() * factor));
    int h = Math.max(1, (int) Math.round(src.getHeight() * factor));
    var out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** 16 x 16 x RGB area means. */
  private static float[] thumbnail(BufferedImage image) {
    BufferedImage small = Edits.scale(image, 16, 16);
    float[] out = new float[16 * 16 * 3];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        int p = small.getRGB(x, y);
        int i = 3 * (y * 16 + x);
        out[i] = (p >> 16) & 0xff;
        out[i + 1] = (p >> 8) & 0xff;
        out[i + 2] = p & 0xff;
      }
    }
    return out;
  }

  /** The thumbnail in the eight turns and mirrors of the square, itself first. */
  private static List<float[]> dihedral(float[] thumb) {
    List<float[]> out = new ArrayList<>();
    for (int variant = 0; variant < 8; variant++) {
      float[] turned = new float[thumb.length];
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          int u = (variant & 4) != 0 ? 15 - x : x;
          int v = y;
          for (int quarter = 0; quarter < (variant & 3); quarter++) {
            int t = u;
            u = 15 - v;
            v = t;
          }
          System.arraycopy(thumb, 3 * (y * 16 + x), turned, 3 * (v * 16 + u), 3);
        }
      }
      out.add(turned);
    }
    return out;
  }

  /**
   * Whether {@code b} is {@code a} in other shades: the best map {@code a' = gain * a + offset}, one
   * for the three channels with a gain of at least {@value #MIN_TWIN_GAIN} (least squares over the
   * thumbnails' values), leaves less than {@value #SAME_PICTURE_LEVELS} levels of mean difference. One
   * symbolic icon drawn in black and in grey (user-available and user-idle) is one picture for a
   * brightness and contrast edit, which the set counts as a copy.
   */
  static boolean brighterTwin(float[] a, float[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double cov = 0;
    double var = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - ma) * (b[i] - mb);
      var += (a[i] - ma) * (a[i] - ma);
    }
    if (var <= 1e-9) {
      return false;
    }
    double gain = cov / var;
    if (gain < MIN_TWIN_GAIN || gain > 1 / MIN_TWIN_GAIN) {
      return false;
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(mb + gain * (a[i] - ma) - b[i]);
    }
    return sum / a.length < SAME_PICTURE_LEVELS;
  }

  private static double meanDifference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  /** {@code flag-fr}, {@code icon-actions-document-new}: only {@code [a-z0-9-]}. */
  private String name(Path source) {
    String file = source.getFileName().toString().replace("-symbolic.symbolic.png", "").replace(".png", "");
    String stem = source.toString().contains("iso-flags") ? "flag-" + file
        : "icon-" + source.getParent().getFileName() + "-" + file;
    return stem.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }
}
