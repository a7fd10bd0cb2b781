package dev.loupe.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.FeatureExtractor;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.image.ImageLoader;
import dev.loupe.index.LuceneImageIndex;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.ingest.ImageSource;
import dev.loupe.ingest.IngestReport;
import dev.loupe.ingest.Ingestor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Ingest throughput on 1–2 MP JPEGs, commit included, and bytes per image on disk.
 *
 * <p>The JPEGs are made once from large source images (by default the GNOME backgrounds) as
 * random crops scaled to 1–2 MP and saved at quality 90, so every file is a distinct photo-like
 * image; then {@code loupe index} runs over them into a fresh data directory, several times, and the
 * median rate is reported. Local features are on, as in the engine's default analyzer; {@code
 * --keypoints both} alternates runs with them on and off and reports the ratio of the medians.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Ingest rate (images/s, commit included) on 1-2 MP JPEGs, and disk bytes per image.")
public final class IngestBench implements Callable<Integer> {
  @Option(names = "--sources", description = "Folder of large source images (default: ${DEFAULT-VALUE}).")
  Path sources = Path.of("/usr/share/backgrounds/gnome");

  @Option(names = "--count", description = "JPEGs to make and ingest (default: ${DEFAULT-VALUE}).")
  int count = 1500;

  @Option(names = "--runs", description = "Timed ingests; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs = 3;

  @Option(names = "--threads", description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/scratch/ingest");

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  /** Whether the analyzer extracts keypoints. */
  enum Keypoints { on, off, both }

  @Option(names = "--keypoints", description = "Local features: on (the engine's default), off, or both "
      + "(each run ingests with them on, then off; default: ${DEFAULT-VALUE}).")
  Keypoints keypoints = Keypoints.on;

  @Option(names = "--stages", paramLabel = "N", description = "Instead of timed ingests: the time of each stage of "
      + "ingesting one image (read, decode, hash and descriptor, likeness, keypoints, thumbnail, index write, "
      + "commit), on one thread, over the first N JPEGs (0: off; default: ${DEFAULT-VALUE}).")
  int stages = 0;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestBench()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Path jpegs = work.resolve("jpegs-" + count + "-" + seed);
    if (!Files.isDirectory(jpegs) || countFiles(jpegs) < count) {
      makeJpegs(jpegs);
    }
    long jpegBytes = 0;
    try (Stream<Path> files = Files.list(jpegs)) {
      for (Path p : files.toList()) {
        jpegBytes += Files.size(p);
      }
    }
    System.out.printf("ingest benchmark: %d JPEGs (%.0f KB average), %d cores, java %s, seed %d%n", count,
        jpegBytes / 1024.0 / count, Runtime.getRuntime().availableProcessors(), Runtime.version(), seed);
    if (stages > 0) {
      profileStages(jpegs);
      return 0;
    }
    List<Boolean> settings = switch (keypoints) {
      case on -> List.of(true);
      case off -> List.of(false);
      case both -> List.of(true, false);
    };
    double[][] rates = new double[settings.size()][runs];
    long[] diskPerImage = new long[settings.size()];
    for (int run = 0; run < runs; run++) {
      for (int k = 0; k < settings.size(); k++) {
        boolean on = settings.get(k);
        Path data = work.resolve("data");
        ScaleBench.deleteRecursively(data);
        LoupeConfig config = LoupeConfig.defaults(data);
        if (threads != null) {
          config = config.withIngest(config.ingest().withThreads(threads));
        }
        IngestReport report;
        // The engine's own wiring (Loupe.open), with the analyzer's keypoint switch exposed.
        try (LuceneImageIndex index = LuceneImageIndex.open(data.resolve("index"));
            ImageFetcher fetcher = new ImageFetcher(config.fetchPolicy())) {
          ImageAnalyzer analyzer = new ImageAnalyzer(new ImageLoader(config.limits()), new FeatureExtractor(), on);
          ImageSource source = DirectorySource.scan(jpegs);
          report = new Ingestor(index, fetcher, analyzer, config.ingest()).run(source, p -> { });
          diskPerImage[k] = index.stats().bytesOnDisk() / Math.max(1, report.newImages());
        }
        double seconds = report.elapsed().toNanos() / 1e9;
        rates[k][run] = report.processed() / seconds;
        System.out.printf("  run %d, keypoints %s: %d images in %.2f s = %.1f images/s (%d failed)%n", run + 1,
            on ? "on" : "off", report.processed(), seconds, rates[k][run], report.failures().size());
      }
    }
    double[] medians = new double[settings.size()];
    for (int k = 0; k < settings.size(); k++) {
      double[] r = rates[k].clone();
      java.util.Arrays.sort(r);
      medians[k] = r[runs / 2];
      System.out.printf(
          "RESULT keypoints=%s ingest_images_per_s_median=%.1f min=%.1f max=%.1f disk_bytes_per_image=%d%n",
          settings.get(k) ? "on" : "off", medians[k], r[0], r[runs - 1], diskPerImage[k]);
    }
    if (settings.size() == 2) {
      System.out.printf("RESULT keypoints_on_over_off_rate=%.2f disk=%.2f%n", medians[0] / medians[1],
          (double) diskPerImage[0] / diskPerImage[1]);
    }
    return 0;
  }

  /**
   * Each stage of ingesting one image, timed on its own, one image at a time on one thread, into a
   * fresh index: what the ingest rate is made of. The first tenth (at least 10) is untimed warm-up.
   * The sum of the stages' means is the time one image costs; two cores cannot ingest more than
   * 2,000 ms divided by it per second. Each stage is also given in thread CPU time (OpenCV held to
   * this thread for the profile): on a shared machine the wall time includes waits for a core.
   */
  private void profileStages(Path jpegs) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(jpegs)) {
      files = list.sorted().limit(stages).toList();
    }
    Path data = work.resolve("data-stages");
    ScaleBench.deleteRecursively(data);
    String[] names = {"read", "decode", "hash_and_descriptor", "likeness", "keypoints", "thumbnail", "index_write"};
    int warmup = Math.max(10, files.size() / 10);
    long[][] nanos = new long[names.length][files.size()];
    // Thread CPU time as well as wall time: on a shared machine the wall time counts the waits for
    // a core, the CPU time does not. OpenCV runs on this thread only, so that the CPU time is all of it.
    long[][] cpu = new long[names.length][files.size()];
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    int opencvThreads = org.bytedeco.opencv.global.opencv_core.getNumThreads();
    org.bytedeco.opencv.global.opencv_core.setNumThreads(1);
    ImageLoader loader = new ImageLoader(LoupeConfig.defaults(data).limits());
    FeatureExtractor extractor = new FeatureExtractor();
    ImageAnalyzer analyzer = new ImageAnalyzer(loader, extractor);
    dev.loupe.features.LikenessDescriptor likeness = new dev.loupe.features.LikenessDescriptor();
    dev.loupe.keypoints.KeypointExtractor keypointExtractor = new dev.loupe.keypoints.KeypointExtractor();
    long commitNanos;
    long commitCpu;
    long keypointCount = 0;
    try (LuceneImageIndex index = LuceneImageIndex.open(data.resolve("index"))) {
      for (int i = 0; i < files.size(); i++) {
        long t0 = System.nanoTime();
        long c0 = threads.getCurrentThreadCpuTime();
        byte[] bytes = Files.readAllBytes(files.get(i));
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        dev.loupe.image.DecodedImage image;
        try {
          image = loader.decode(bytes, ImageAnalyzer.WORKING_SIZE);
        } catch (dev.loupe.image.ImageRejected e) {
          throw new IOException(files.get(i) + ": " + e.getMessage(), e);
        }
        long t2 = System.nanoTime();
        long c2 = threads.getCurrentThreadCpuTime();
        dev.loupe.features.ImageSignature sig = extractor.extract(image);
        long t3 = System.nanoTime();
        long c3 = threads.getCurrentThreadCpuTime();
        sig = sig.withLikeness(likeness.compute(image));
        long t4 = System.nanoTime();
        long c4 = threads.getCurrentThreadCpuTime();
        dev.loupe.features.LocalFeatures local =
            keypointExtractor.extract(image, dev.loupe.keypoints.KeypointExtractor.INDEX_KEYPOINTS);
        sig = sig.withLocal(local);
        long t5 = System.nanoTime();
        long c5 = threads.getCurrentThreadCpuTime();
        // The metadata carry the freshly encoded thumbnail, as an ingest writes them.
        dev.loupe.index.ImageMetadata metadata = new ImageAnalyzer.Analysis(sig, image, analyzer).metadata();
        long t6 = System.nanoTime();
        long c6 = threads.getCurrentThreadCpuTime();
        String source = files.get(i).toString();
        index.add(sig, metadata, dev.loupe.index.Occurrence.of(source, null, null, source, java.time.Instant.now()));
        long t7 = System.nanoTime();
        long c7 = threads.getCurrentThreadCpuTime();
        long[] marks = {t0, t1, t2, t3, t4, t5, t6, t7};
        long[] cpuMarks = {c0, c1, c2, c3, c4, c5, c6, c7};
        for (int s = 0; s < names.length; s++) {
          nanos[s][i] = marks[s + 1] - marks[s];
          cpu[s][i] = cpuMarks[s + 1] - cpuMarks[s];
        }
        keypointCount += local.size();
      }
      long c = System.nanoTime();
      long cc = threads.getCurrentThreadCpuTime();
      index.commit();
      commitNanos = System.nanoTime() - c;
      commitCpu = threads.getCurrentThreadCpuTime() - cc;
    } finally {
      org.bytedeco.opencv.global.opencv_core.setNumThreads(opencvThreads);
    }
    int timed = files.size() - warmup;
    System.out.printf("stages: %d JPEGs, %d timed after %d untimed, one thread (OpenCV's too), %.0f keypoints per image%n",
        files.size(), timed, warmup, (double) keypointCount / files.size());
    double total = 0;
    double cpuTotal = 0;
    for (int s = 0; s < names.length; s++) {
      long[] t = java.util.Arrays.copyOfRange(nanos[s], warmup, files.size());
      java.util.Arrays.sort(t);
      double mean = java.util.Arrays.stream(t).average().orElse(0) / 1e6;
      long[] u = java.util.Arrays.copyOfRange(cpu[s], warmup, files.size());
      java.util.Arrays.sort(u);
      double cpuMean = java.util.Arrays.stream(u).average().orElse(0) / 1e6;
      total += mean;
      cpuTotal += cpuMean;
      System.out.printf("RESULT stage=%s p50_ms=%.2f p90_ms=%.2f mean_ms=%.2f cpu_p50_ms=%.2f cpu_mean_ms=%.2f%n",
          names[s], t[t.length / 2] / 1e6, t[t.length * 9 / 10] / 1e6, mean, u[u.length / 2] / 1e6, cpuMean);
    }
    double commit = commitNanos / 1e6 / files.size();
    double commitCpuMean = commitCpu / 1e6 / files.size();
    total += commit;
    cpuTotal += commitCpuMean;
    System.out.printf("RESULT stage=commit mean_ms=%.3f cpu_mean_ms=%.3f (one commit of %d images: %.0f ms)%n", commit,
        commitCpuMean, files.size(), commitNanos / 1e6);
    System.out.printf("RESULT stages_total_ms=%.2f two_core_ceiling_images_per_s=%.0f%n", total, 2000 / total);
    System.out.printf("RESULT stages_cpu_total_ms=%.2f two_core_cpu_ceiling_images_per_s=%.0f%n", cpuTotal,
        2000 / cpuTotal);
    ScaleBench.deleteRecursively(data);
  }

  private static long countFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }

  private void makeJpegs(Path out) throws IOException {
    Files.createDirectories(out);
    List<Path> inputs;
    try (Stream<Path> files = Files.list(sources)) {
      inputs = files.filter(p -> DirectorySource.isImageFileName(p.getFileName().toString())).sorted().toList();
    }
    List<Mat> images = new java.util.ArrayList<>();
    for (Path p : inputs) {
      byte[] bytes = Files.readAllBytes(p);
      Mat m = imdecode(new Mat(new BytePointer(bytes)), IMREAD_COLOR);
      if (m != null && !m.empty() && m.cols() >= 1200 && m.rows() >= 800) {
        images.add(m);
      }
    }
    if (images.isEmpty()) {
      throw new IOException("no source image of at least 1200x800 in " + sources);
    }
    Random random = new Random(seed);
    System.out.printf("making %d JPEGs of 1-2 MP from %d sources in %s%n", count, images.size(), out);
    try (IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 90)) {
      for (int i = 0; i < count; i++) {
        Mat src = images.get(random.nextInt(images.size()));
        double megapixels = 1.0 + random.nextDouble();
        double aspect = 1.2 + random.nextDouble() * 0.6;
        int w = (int) Math.sqrt(megapixels * 1e6 * aspect);
        int h = (int) (megapixels * 1e6 / w);
        double cropScale = 0.3 + random.nextDouble() * 0.7;
        int cw = Math.min(src.cols(), (int) (src.cols() * cropScale));
        int ch = Math.min(src.rows(), (int) (cw / aspect));
        int x = random.nextInt(src.cols() - cw + 1);
        int y = random.nextInt(src.rows() - ch + 1);
        try (Mat crop = new Mat(src, new Rect(x, y, cw, ch)); Mat scaled = new Mat()) {
          resize(crop, scaled, new Size(w, h), 0, 0, INTER_AREA);
          imwrite(out.resolve(String.format("img-%05d.jpg", i)).toString(), scaled, params);
        }
      }
    }
  }
}
