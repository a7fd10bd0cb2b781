package dev.loupe.bench;

import dev.loupe.bench.Detectors.Detector;
import dev.loupe.bench.Detectors.Keypoints;
import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.keypoints.Alignment;
import dev.loupe.keypoints.GeometricVerifier;
import dev.loupe.keypoints.KeypointExtractor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What local features cost per image, and why ORB: extraction time at the working resolution
 * (512 px on the long side) against decoding and the global features, on dev-set images; then ORB,
 * AKAZE and SIFT compared on extraction time and on verifying edited copies against their
 * originals with one common matcher ({@link Detectors}), plus ORB through the engine's own
 * {@link GeometricVerifier}. A pair is an edited query and its original; a negative is the same
 * query against the original half the list away in name order (not the next one: GNOME's light
 * and dark variants of one picture sit next to each other). Single-threaded by default (OpenCV's own threads
 * too), so the times are per core.
 */
@Command(name = "keypoints", mixinStandardHelpOptions = true,
    description = "Keypoint extraction time per 512 px image, and ORB vs AKAZE vs SIFT on time and on verifying "
        + "edited copies (needs the dev set: bench/fetch-data.sh).")
public final class KeypointBench implements Callable<Integer> {
  @Option(names = "--devset", description = "Dev set folder (default: ${DEFAULT-VALUE}).")
  Path devset = Path.of("bench/data/devset");

  @Option(names = "--images", description = "Images timed for extraction: the originals, then distractors "
      + "(default: ${DEFAULT-VALUE}).")
  int images = 200;

  @Option(names = "--edits", split = ",", description = "Edits whose queries are verified against their originals "
      + "(default: ${DEFAULT-VALUE}).")
  List<String> edits = List.of("crop50", "caption");

  @Option(names = "--detectors", split = ",", description = "Detectors compared (default: ${DEFAULT-VALUE}).")
  List<Detector> detectors = List.of(Detector.ORB, Detector.AKAZE, Detector.SIFT);

  @Option(names = "--default-thresholds", description = "AKAZE and SIFT keep OpenCV's default detection "
      + "thresholds instead of lowering them until they find the keypoint budget.")
  boolean defaultThresholds;

  @Option(names = "--opencv-threads", description = "OpenCV's worker threads (default: ${DEFAULT-VALUE}).")
  int opencvThreads = 1;

  public static void main(String[] args) {
    System.exit(new CommandLine(new KeypointBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    opencv_core.setNumThreads(opencvThreads);
    System.out.printf("keypoint benchmark: %d cores, java %s, OpenCV threads %d, AKAZE and SIFT thresholds %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version(), opencvThreads,
        defaultThresholds ? "OpenCV's defaults" : "lowered until the budget is found");
    ImageLoader loader = new ImageLoader(ImageLimits.defaults());
    List<Path> originals = DevSetQueries.images(devset.resolve("originals"));
    List<Path> distractors = DevSetQueries.images(devset.resolve("distractors"));
    // Distractors evenly spread over the sorted names, so that every kind of distractor is timed.
    int stride = Math.max(1, distractors.size() / Math.max(1, images - originals.size()));
    timeExtraction(loader, Stream.concat(originals.stream(),
        IntStream.range(0, distractors.size()).filter(i -> i % stride == 0).mapToObj(distractors::get))
        .limit(images).toList());
    compareDetectors(loader, originals);
    return 0;
  }

  private void timeExtraction(ImageLoader loader, List<Path> files) throws IOException {
    FeatureExtractor features = new FeatureExtractor();
    KeypointExtractor keypoints = new KeypointExtractor();
    Map<String, List<Long>> nanos = new LinkedHashMap<>();
    long pixels = 0;
    int warmup = Math.min(10, files.size() / 10);
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      byte[] bytes = Files.readAllBytes(file);
      Map<String, Long> one = new LinkedHashMap<>();
      DecodedImage image = timed(one, "decode_to_512", () -> decode(loader, bytes, file));
      timed(one, "global_features", () -> features.extract(image));
      timed(one, "orb_400_index", () -> keypoints.extract(image, KeypointExtractor.INDEX_KEYPOINTS));
      timed(one, "orb_600_query", () -> keypoints.extract(image, KeypointExtractor.QUERY_KEYPOINTS));
      timed(one, "orb_600_mirrored", () -> keypoints.extractMirrored(image, KeypointExtractor.QUERY_KEYPOINTS));
      for (Detector d : detectors) {
        if (d != Detector.ORB) {
          timed(one, d.wireName() + "_400",
              () -> d.extract(image, KeypointExtractor.INDEX_KEYPOINTS, !defaultThresholds));
        }
      }
      if (i >= warmup) {
        one.forEach((k, v) -> nanos.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        pixels += (long) image.pixelWidth() * image.pixelHeight();
      }
    }
    int timed = files.size() - warmup;
    System.out.printf("extraction, one image at a time: %d images timed after %d untimed, %.0f pixels on average "
        + "at the working size%n", timed, warmup, (double) pixels / timed);
    nanos.forEach((measure, list) -> {
      long[] sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("RESULT extraction=%s images=%d p50_ms=%.2f p90_ms=%.2f%n", measure, sorted.length,
          ScaleBench.ms(sorted, 0.5), ScaleBench.ms(sorted, 0.9));
    });
  }

  private void compareDetectors(ImageLoader loader, List<Path> originals) throws IOException {
    List<String> present = DevSetQueries.present(devset, edits);
    List<DevSetQueries.Query> queries = DevSetQueries.read(devset, present);
    Map<Path, Integer> originalIndex = new LinkedHashMap<>();
    List<DecodedImage> originalImages = new ArrayList<>();
    for (Path p : originals) {
      originalIndex.put(p.toAbsolutePath().normalize(), originalImages.size());
      originalImages.add(decode(loader, Files.readAllBytes(p), p));
    }
    List<DecodedImage> queryImages = new ArrayList<>();
    for (DevSetQueries.Query q : queries) {
      queryImages.add(decode(loader, Files.readAllBytes(q.file()), q.file()));
    }
    System.out.printf("verification: %d queries of the edits %s against %d originals; negatives: each query "
        + "against the original half the list away%n", queries.size(), String.join(",", present), originals.size());
    GeometricVerifier engine = new GeometricVerifier();
    KeypointExtractor orb = new KeypointExtractor();
    for (Detector d : detectors) {
      List<Keypoints> stored = new ArrayList<>();
      List<LocalFeatures> storedOrb = new ArrayList<>();
      long extractNanos = 0;
      long storedKeypoints = 0;
      long queryKeypoints = 0;
      for (DecodedImage image : originalImages) {
        long t = System.nanoTime();
        if (d == Detector.ORB) {
          LocalFeatures f = orb.extract(image, KeypointExtractor.INDEX_KEYPOINTS);
          storedOrb.add(f);
          stored.add(Detectors.fromLocal(f));
        } else {
          stored.add(d.extract(image, KeypointExtractor.INDEX_KEYPOINTS, !defaultThresholds));
        }
        extractNanos += System.nanoTime() - t;
        storedKeypoints += stored.getLast().size();
      }
      Map<String, Tally> common = new LinkedHashMap<>();
      Map<String, Tally> viaEngine = new LinkedHashMap<>();
      for (int i = 0; i < queries.size(); i++) {
        DevSetQueries.Query q = queries.get(i);
        int own = originalIndex.get(q.original().toAbsolutePath().normalize());
        int other = (own + originals.size() / 2) % originals.size();
        long t = System.nanoTime();
        LocalFeatures queryOrb = null;
        Keypoints query;
        if (d == Detector.ORB) {
          queryOrb = orb.extract(queryImages.get(i), KeypointExtractor.QUERY_KEYPOINTS);
          query = Detectors.fromLocal(queryOrb);
        } else {
          query = d.extract(queryImages.get(i), KeypointExtractor.QUERY_KEYPOINTS, !defaultThresholds);
        }
        extractNanos += System.nanoTime() - t;
        queryKeypoints += query.size();
        Tally tally = common.computeIfAbsent(q.edit(), e -> new Tally());
        t = System.nanoTime();
        Detectors.Match positive = Detectors.match(query, stored.get(own), d.norm());
        tally.matchNanos.add(System.nanoTime() - t);
        Detectors.Match negative = Detectors.match(query, stored.get(other), d.norm());
        tally.add(positive.verified(), positive.inliers(), negative.verified());
        if (queryOrb != null) {
          Tally e = viaEngine.computeIfAbsent(q.edit(), x -> new Tally());
          t = System.nanoTime();
          Optional<Alignment> a = engine.verify(queryOrb, storedOrb.get(own));
          e.matchNanos.add(System.nanoTime() - t);
          boolean falseCopy = engine.verify(queryOrb, storedOrb.get(other)).isPresent();
          e.add(a.isPresent(), a.map(Alignment::inliers).orElse(0), falseCopy);
        }
      }
      double extractMs = extractNanos / 1e6 / (originalImages.size() + queryImages.size());
      System.out.printf("RESULT detector=%s keypoints_per_original=%.0f keypoints_per_query=%.0f%n", d.wireName(),
          (double) storedKeypoints / originalImages.size(), (double) queryKeypoints / Math.max(1, queryImages.size()));
      common.forEach((edit, tally) -> tally.print(d.wireName(), "common", edit, extractMs));
      viaEngine.forEach((edit, tally) -> tally.print(d.wireName(), "engine", edit, extractMs));
    }
  }

  /** Verification outcomes of one detector and matcher on one edit. */
  private static final class Tally {
    int pairs;
    int verified;
    int falseVerified;
    final List<Integer> inliers = new ArrayList<>();
    final List<Long> matchNanos = new ArrayList<>();

    void add(boolean ok, int inlierCount, boolean negativeVerified) {
      pairs++;
      verified += ok ? 1 : 0;
      falseVerified += negativeVerified ? 1 : 0;
      inliers.add(inlierCount);
    }

    void print(String detector, String matcher, String edit, double extractMs) {
      int[] in = inliers.stream().mapToInt(Integer::intValue).sorted().toArray();
      long[] t = matchNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("RESULT detector=%s matcher=%s edit=%s pairs=%d verified=%.3f median_inliers=%d "
              + "negatives_verified=%d extract_ms_mean=%.1f match_ms_p50=%.2f%n",
          detector, matcher, edit, pairs, (double) verified / pairs, in[in.length / 2], falseVerified, extractMs,
          ScaleBench.ms(t, 0.5));
    }
  }

  private static <T> T timed(Map<String, Long> into, String name, Supplier<T> work) {
    long t = System.nanoTime();
    T out = work.get();
    into.put(name, System.nanoTime() - t);
    return out;
  }

  private static DecodedImage decode(ImageLoader loader, byte[] bytes, Path file) {
    try {
      return loader.decode(bytes, ImageAnalyzer.WORKING_SIZE);
    } catch (ImageRejected e) {
      throw new IllegalStateException("cannot decode " + file + ": " + e.getMessage(), e);
    }
  }
}
