package dev.loupe.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Builds the dev set of the quality benchmark from installed Debian packages.
 *
 * <p>Writes, under {@code --out}: {@code originals/} (photographs and wallpapers scaled to at most 2
 * MP, JPEG quality 90), {@code distractors/} (stamps flattened on colours and tiles of other
 * wallpapers and photographs, one tile in ten framed by a hard edit), {@code queries/<edit>/} (one query per original and {@link Edit}),
 * {@code negatives/} (edited images made from held-out sources, copies of nothing indexed),
 * {@code manifest.csv} ({@code query_file,edit,expected_original_file}, paths relative to
 * {@code --out}, the last field empty for negatives) and {@code sources.csv} (which Debian file
 * every original, distractor and negative came from).
 *
 * <p>Everything random comes from one {@code java.util.Random} seeded with {@code --seed}, printed
 * at start: it draws one seed per work item in a fixed order before any work starts, so the output
 * is the same for any {@code --threads}. See {@code docs/devset.md}.
 */
@Command(name = "devset", mixinStandardHelpOptions = true,
    description = "Builds the quality benchmark's dev set from installed Debian packages.")
public final class DevSetBuilder implements Callable<Integer> {
  /** Originals larger than this are scaled down to {@link #TARGET_PIXELS}. */
  static final long MAX_ORIGINAL_PIXELS = 2_000_000;
  static final long TARGET_PIXELS = 1_500_000;
  static final int ORIGINAL_QUALITY = 90;
  /** One distractor tile in this many is put into a screenshot frame or under a caption band. */
  static final int FRAMED_TILE_EVERY = 10;

  @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("bench/data/devset");

  @Option(names = "--seed", description = "Seed of the one random generator (default: ${DEFAULT-VALUE}).")
  long seed = 20_250_601L;

  @Option(names = "--distractors", description = "Number of distractors (default: ${DEFAULT-VALUE}).")
  int distractors = 5400;

  @Option(names = "--negatives", description = "Number of negatives (default: ${DEFAULT-VALUE}).")
  int negatives = 600;

  @Option(names = "--share", description = "Debian data directory holding the packages' files (default: ${DEFAULT-VALUE}).")
  Path share = Path.of("/usr/share");

  @Option(names = "--threads", description = "Worker threads (default: ${DEFAULT-VALUE}); the output does not depend on it.")
  int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** Runs the builder; exits non-zero with the cause when a source is missing or unreadable. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new DevSetBuilder()).execute(args));
  }

  /** Set by {@link #call} before any job runs; read-only afterwards. */
  private List<BufferedImage> fillers = List.of();

  @Override
  public Integer call() throws Exception {
    if (distractors < 0 || negatives < 0) {
      throw new IllegalArgumentException(
          "counts must not be negative, got: distractors=" + distractors + " negatives=" + negatives);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got: " + threads);
    }
    long start = System.nanoTime();
    System.out.println("devset: seed " + seed + ", output " + out.toAbsolutePath());
    DevSetSources sources = DevSetSources.debian(share);
    for (String part : List.of("originals", "distractors", "queries", "negatives")) {
      deleteTree(out.resolve(part));
    }
    for (String part : List.of("originals", "distractors", "negatives")) {
      Files.createDirectories(out.resolve(part));
    }
    for (Edit edit : Edit.values()) {
      Files.createDirectories(out.resolve("queries").resolve(edit.wireName()));
    }

    fillers = fillers(sources.negativeWallpapers());
    // Plan first, drawing every item's seed from the one generator in a fixed order.
    var random = new Random(seed);
    var jobs = new ArrayList<Callable<Rows>>();
    for (Path original : sources.originals()) {
      long itemSeed = random.nextLong();
      jobs.add(() -> original(original, itemSeed));
    }
    int stampShare = (int) Math.round(distractors * 0.45);
    planSpread(sources.distractorStamps(), stampShare, random, jobs,
        (path, count, s) -> () -> distractorStamps(path, count, s));
    planSpread(sources.distractorWallpapers(), distractors - stampShare, random, jobs,
        (path, count, s) -> () -> distractorTiles(path, count, s));
    int negativeStampShare = negatives / 2;
    planSpread(sources.negativeStamps(), negativeStampShare, random, jobs,
        (path, count, s) -> () -> negativeStamps(path, count, s));
    planSpread(sources.negativeWallpapers(), negatives - negativeStampShare, random, jobs,
        (path, count, s) -> () -> negativeWallpapers(path, count, s));

    var manifest = new StringBuilder("query_file,edit,expected_original_file\n");
    var provenance = new StringBuilder("file,source\n");
    var done = new AtomicInteger();
    var threadNumber = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads,
        r -> new Thread(r, "devset-worker-" + threadNumber.incrementAndGet()));
    try {
      List<Future<Rows>> futures = new ArrayList<>();
      for (Callable<Rows> job : jobs) {
        futures.add(pool.submit(() -> {
          Rows rows = job.call();
          int n = done.incrementAndGet();
          if (n % 50 == 0 || n == jobs.size()) {
            System.out.printf(Locale.ROOT, "devset: %d/%d sources done%n", n, jobs.size());
          }
          return rows;
        }));
      }
      for (Future<Rows> future : futures) {
        Rows rows = future.get();
        manifest.append(rows.manifest());
        provenance.append(rows.provenance());
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      pool.shutdownNow();
    }
    Files.writeString(out.resolve("manifest.csv"), manifest, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("sources.csv"), provenance, StandardCharsets.UTF_8);

    System.out.printf(Locale.ROOT,
        "devset: %d originals, %d distractors, %d queries (%d edits), %d negatives in %.0f s (seed %d)%n",
        count(out.resolve("originals")), count(out.resolve("distractors")), count(out.resolve("queries")),
        Edit.values().length, count(out.resolve("negatives")), (System.nanoTime() - start) / 1e9, seed);
    return 0;
  }

  /** Largest number of pixels a filler picture keeps. */
  private static final long FILLER_PIXELS = 1_000_000;

  /**
   * The pictures the collage and overlay edits paste beside or over an original: the negative
   * wallpapers (indexed nowhere, so a query's other tiles are copies of nothing), scaled to at most
   * {@value #FILLER_PIXELS} pixels.
   */
  private static List<BufferedImage> fillers(List<Path> sources) throws IOException {
    var out = new ArrayList<BufferedImage>();
    for (Path source : sources) {
      BufferedImage image = Edits.toBgr(SourceImages.read(source));
      long pixels = (long) image.getWidth() * image.getHeight();
      if (pixels > FILLER_PIXELS) {
        double factor = Math.sqrt((double) FILLER_PIXELS / pixels);
        image = Edits.scale(image, (int) Math.round(image.getWidth() * factor), (int) Math.round(image.getHeight() * factor));
      }
      out.add(image);
    }
    return List.copyOf(out);
  }

  /** The rows one work item adds to {@code manifest.csv} and {@code sources.csv}. */
  record Rows(String manifest, String provenance) {}

  @FunctionalInterface
  interface JobFactory {
    Callable<Rows> job(Path source, int count, long seed);
  }

  /** Spreads {@code total} outputs as evenly as possible over the sources, one job per source with outputs. */
  private static void planSpread(List<Path> sources, int total, Random random, List<Callable<Rows>> jobs, JobFactory factory) {
    for (int i = 0; i < sources.size(); i++) {
      int count = total / sources.size() + (i < total % sources.size() ? 1 : 0);
      long itemSeed = random.nextLong();
      if (count > 0) {
        jobs.add(factory.job(sources.get(i), count, itemSeed));
      }
    }
  }

  private Rows original(Path source, long itemSeed) throws IOException {
    var random = new Random(itemSeed);
    BufferedImage image = Edits.toBgr(SourceImages.read(source));
    long pixels = (long) image.getWidth() * image.getHeight();
    if (pixels > MAX_ORIGINAL_PIXELS) {
      double factor = Math.sqrt((double) TARGET_PIXELS / pixels);
      image = Edits.scale(image, (int) Math.round(image.getWidth() * factor), (int) Math.round(image.getHeight() * factor));
    }
    String name = sourceName(source) + ".jpg";
    String originalFile = "originals/" + name;
    Files.write(out.resolve(originalFile), Edits.jpeg(image, ORIGINAL_QUALITY));
    var manifest = new StringBuilder();
    for (Edit edit : Edit.values()) {
      String queryFile = "queries/" + edit.wireName() + "/" + name;
      Files.write(out.resolve(queryFile), edit.encode(image, random, fillers));
      manifest.append(queryFile).append(',').append(edit.wireName()).append(',').append(originalFile).append('\n');
    }
    return new Rows(manifest.toString(), originalFile + "," + source + "\n");
  }

  private Rows distractorStamps(Path source, int count, long itemSeed) throws IOException {
    var random = new Random(itemSeed);
    BufferedImage stamp = SourceImages.read(source);
    var provenance = new StringBuilder();
    for (int i = 0; i < count; i++) {
      BufferedImage variant = stampVariant(stamp, i % 4, random);
      String file = "distractors/" + sourceName(source) + "-" + i + ".jpg";
      Files.write(out.resolve(file), Edits.jpeg(variant, 85 + random.nextInt(11)));
      provenance.append(file).append(',').append(source).append('\n');
    }
    return new Rows("", provenance.toString());
  }

  private Rows distractorTiles(Path source, int count, long itemSeed) throws IOException {
    var random = new Random(itemSeed);
    BufferedImage wallpaper = Edits.toBgr(SourceImages.read(source));
    var provenance = new StringBuilder();
    for (int i = 0; i < count; i++) {
      BufferedImage tile = tile(wallpaper, random);
      if (random.nextInt(FRAMED_TILE_EVERY) == 0) {
        // Some distractors wear the frames of the hard edits, so that a frame alone (a caption band,
        // browser or phone chrome) is no evidence of a copy.
        tile = (random.nextBoolean() ? Edit.SCREENSHOT : Edit.CAPTION25).apply(tile, random);
      }
      String file = "distractors/" + sourceName(source) + "-tile-" + i + ".jpg";
      Files.write(out.resolve(file), Edits.jpeg(tile, 85 + random.nextInt(11)));
      provenance.append(file).append(',').append(source).append('\n');
    }
    return new Rows("", provenance.toString());
  }

  private Rows negativeStamps(Path source, int count, long itemSeed) throws IOException {
    var random = new Random(itemSeed);
    BufferedImage stamp = SourceImages.read(source);
    return negatives(source, count, random, () -> stampVariant(stamp, random.nextInt(4), random));
  }

  private Rows negativeWallpapers(Path source, int count, long itemSeed) throws IOException {
    var random = new Random(itemSeed);
    BufferedImage wallpaper = Edits.toBgr(SourceImages.read(source));
    return negatives(source, count, random, () -> {
      if (random.nextInt(4) == 0) {
        // A whole wallpaper at original size, like a real upload that is simply not indexed.
        long pixels = (long) wallpaper.getWidth() * wallpaper.getHeight();
        double factor = Math.min(1, Math.sqrt((double) TARGET_PIXELS / pixels));
        return Edits.scale(wallpaper, (int) Math.round(wallpaper.getWidth() * factor),
            (int) Math.round(wallpaper.getHeight() * factor));
      }
      return tile(wallpaper, random);
    });
  }

  private Rows negatives(Path source, int count, Random random, java.util.function.Supplier<BufferedImage> base) throws IOException {
    var manifest = new StringBuilder();
    var provenance = new StringBuilder();
    Edit[] edits = Edit.values();
    for (int i = 0; i < count; i++) {
      BufferedImage image = base.get();
      Edit edit = edits[random.nextInt(edits.length)];
      String file = "negatives/" + sourceName(source) + "-" + i + "-" + edit.wireName() + ".jpg";
      Files.write(out.resolve(file), edit.encode(image, random, fillers));
      manifest.append(file).append(',').append(edit.wireName()).append(",\n");
      provenance.append(file).append(',').append(source).append('\n');
    }
    return new Rows(manifest.toString(), provenance.toString());
  }

  /**
   * One flattened variant of a stamp: 0 on white, 1 on a random colour, 2 recoloured (channels
   * permuted) on white, 3 rotated by up to 35 degrees on a random colour. Stamps are scaled to a
   * long side of 200 to 600 px with a random margin, as clip art appears on pages.
   */
  static BufferedImage stampVariant(BufferedImage stamp, int kind, Random random) {
    BufferedImage argb = toArgb(stamp);
    if (kind == 2) {
      argb = permuteChannels(argb, 1 + random.nextInt(5));
    }
    int longSide = 200 + random.nextInt(401);
    double factor = (double) longSide / Math.max(argb.getWidth(), argb.getHeight());
    int w = Math.max(1, (int) Math.round(argb.getWidth() * factor));
    int h = Math.max(1, (int) Math.round(argb.getHeight() * factor));
    Color background = kind == 0 || kind == 2 ? Color.WHITE : Edits.randomColour(random);
    if (kind == 3) {
      BufferedImage scaled = scaleArgb(argb, w, h);
      return Edits.rotate(scaled, random.nextDouble(-35, 35), background);
    }
    double margin = random.nextDouble(0.0, 0.25);
    int mw = (int) Math.round(w * margin);
    int mh = (int) Math.round(h * margin);
    var out = new BufferedImage(w + 2 * mw, h + 2 * mh, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(background);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(argb, mw, mh, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * A tile of a wallpaper at a random position and scale: a window of 15% to 60% of the short side
   * with an aspect ratio between 0.6 and 1.7, scaled to a long side of 480 to 1024 px, then
   * sometimes recoloured, rotated by a quarter turn or mirrored.
   */
  static BufferedImage tile(BufferedImage wallpaper, Random random) {
    int shortSide = Math.min(wallpaper.getWidth(), wallpaper.getHeight());
    double size = shortSide * random.nextDouble(0.15, 0.6);
    double aspect = random.nextDouble(0.6, 1.7);
    int tw = (int) Math.min(wallpaper.getWidth(), Math.max(16, Math.round(size * Math.sqrt(aspect))));
    int th = (int) Math.min(wallpaper.getHeight(), Math.max(16, Math.round(size / Math.sqrt(aspect))));
    int x = random.nextInt(wallpaper.getWidth() - tw + 1);
    int y = random.nextInt(wallpaper.getHeight() - th + 1);
    int longSide = 480 + random.nextInt(545);
    double factor = (double) longSide / Math.max(tw, th);
    BufferedImage tile = Edits.scale(wallpaper.getSubimage(x, y, tw, th),
        Math.max(1, (int) Math.round(tw * factor)), Math.max(1, (int) Math.round(th * factor)));
    if (random.nextInt(4) == 0) {
      tile = Edits.toBgr(permuteChannels(toArgb(tile), 1 + random.nextInt(5)));
    }
    if (random.nextInt(5) == 0) {
      tile = Edits.rotate(tile, 90 * (1 + random.nextInt(3)), Color.BLACK);
    }
    if (random.nextInt(6) == 0) {
      tile = Edits.mirror(tile);
    }
    return tile;
  }

  private static BufferedImage toArgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_ARGB) {
      return image;
    }
    var out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static BufferedImage scaleArgb(BufferedImage argb, int w, int h) {
    var out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(argb, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Reorders R, G and B by one of the five non-identity permutations (1..5); alpha is kept. */
  private static BufferedImage permuteChannels(BufferedImage argb, int permutation) {
    int[][] orders = {{16, 8, 0}, {16, 0, 8}, {8, 16, 0}, {8, 0, 16}, {0, 16, 8}, {0, 8, 16}};
    int[] order = orders[permutation];
    int w = argb.getWidth();
    int h = argb.getHeight();
    var out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      argb.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        row[x] = (p & 0xff000000) | (((p >> order[0]) & 0xff) << 16) | (((p >> order[1]) & 0xff) << 8) | ((p >> order[2]) & 0xff);
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  /**
   * A file-name stem that says where the source came from, for example {@code plasma-eveningglow},
   * {@code gnome-adwaita-d} or {@code stamp-animals-birds-robin}: only {@code [a-z0-9-]}, so the
   * CSV files need no quoting.
   */
  String sourceName(Path source) {
    Path relative = share.relativize(source);
    String stem;
    if (relative.startsWith("wallpapers")) {
      stem = "plasma-" + relative.getName(1);
    } else if (relative.startsWith("tuxpaint/templates")) {
      stem = "template-" + relative.getFileName().toString().replaceAll("\\.jpg$", "");
    } else if (relative.startsWith("tuxpaint")) {
      Path inside = relative.subpath(2, relative.getNameCount());
      stem = "stamp-" + inside.toString().replaceAll("\\.png$", "");
    } else {
      Path inside = relative.subpath(1, relative.getNameCount());
      stem = inside.toString().replaceAll("\\.[a-z]+$", "").replace("nature/", "").replace("abstract/", "").replace("desktop/", "");
      String prefix = stem.startsWith("gnome/") || stem.startsWith("mate/") ? "" : stem.contains("_by_") ? "lomiri-" : "wp-";
      stem = prefix + stem;
    }
    return stem.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
  }

  private static long count(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
