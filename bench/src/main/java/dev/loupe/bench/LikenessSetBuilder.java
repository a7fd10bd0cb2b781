package dev.loupe.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Builds the likeness dev set: up to {@code --per-class} images of each class of
 * {@link LikenessSources}, drawn with one seeded {@code java.util.Random} from the sorted file list
 * of each class, in the fixed class order. Small PNG files (stamps, flags, icons) are copied byte
 * for byte, so that Loupe composites their transparency as it does for any upload; larger files
 * are scaled to at most {@link #MAX_PIXELS} and written as JPEG quality 90. Writes
 * {@code <out>/<class>/<name>} and {@code labels.csv} ({@code file,class,source}). See
 * {@code docs/devset.md}.
 */
@Command(name = "likeness-set", mixinStandardHelpOptions = true,
    description = "Builds the likeness benchmark's labelled dev set from installed Debian packages.")
public final class LikenessSetBuilder implements Callable<Integer> {
  /** Sources above this many pixels are scaled down to it. */
  static final long MAX_PIXELS = 1_000_000;
  /** PNG files up to this size are copied unchanged. */
  static final long MAX_COPIED_BYTES = 2_000_000;

  @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("bench/data/likeness");

  @Option(names = "--seed", description = "Seed of the one random generator (default: ${DEFAULT-VALUE}).")
  long seed = 20_261_202L;

  @Option(names = "--per-class", description = "Images per class, at most (default: ${DEFAULT-VALUE}).")
  int perClass = 40;

  @Option(names = "--share", description = "Debian data directory (default: ${DEFAULT-VALUE}).")
  Path share = Path.of("/usr/share");

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new LikenessSetBuilder()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (perClass < 1) {
      throw new IllegalArgumentException("per-class must be at least 1, got: " + perClass);
    }
    System.out.println("likeness-set: seed " + seed + ", output " + out.toAbsolutePath());
    var random = new Random(seed);
    var labels = new StringBuilder("file,class,source\n");
    int written = 0;
    for (Map.Entry<String, List<Path>> c : LikenessSources.debian(share).classes().entrySet()) {
      List<Path> chosen = choose(c.getValue(), perClass, random);
      Path dir = out.resolve(c.getKey());
      DevSetBuilder.deleteTree(dir);
      Files.createDirectories(dir);
      for (Path source : chosen) {
        String file = c.getKey() + "/" + write(source, dir);
        labels.append(file).append(',').append(c.getKey()).append(',').append(source).append('\n');
        written++;
      }
      System.out.printf(Locale.ROOT, "  %-16s %3d of %d%n", c.getKey(), chosen.size(), c.getValue().size());
    }
    Files.writeString(out.resolve("labels.csv"), labels);
    System.out.println("likeness-set: " + written + " images, seed " + seed);
    return 0;
  }

  /** {@code n} files drawn at random without replacement, in sorted order; all when there are fewer. */
  static List<Path> choose(List<Path> files, int n, Random random) {
    List<Path> shuffled = new ArrayList<>(files.stream().sorted().toList());
    Collections.shuffle(shuffled, random);
    return shuffled.subList(0, Math.min(n, shuffled.size())).stream().sorted().toList();
  }

  private String write(Path source, Path dir) throws java.io.IOException {
    String name = source.getFileName().toString();
    // The path under /usr/share names the file: unique, and it says where the picture came from.
    String stem = share.relativize(source).toString().replaceAll("\\.[a-z]+$", "").toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (name.endsWith(".png") && Files.size(source) <= MAX_COPIED_BYTES) {
      BufferedImage probe = SourceImages.read(source);
      if ((long) probe.getWidth() * probe.getHeight() <= MAX_PIXELS) {
        Files.copy(source, dir.resolve(stem + ".png"));
        return stem + ".png";
      }
    }
    BufferedImage image = SourceImages.read(source);
    long pixels = (long) image.getWidth() * image.getHeight();
    if (pixels > MAX_PIXELS) {
      double factor = Math.sqrt((double) MAX_PIXELS / pixels);
      image = Edits.scale(image, (int) Math.round(image.getWidth() * factor), (int) Math.round(image.getHeight() * factor));
    }
    Files.write(dir.resolve(stem + ".jpg"), Edits.jpeg(image, DevSetBuilder.ORIGINAL_QUALITY));
    return stem + ".jpg";
  }
}
