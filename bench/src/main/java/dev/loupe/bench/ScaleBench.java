package dev.loupe.bench;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.index.Candidate;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.LuceneImageIndex;
import dev.loupe.index.Occurrence;
import dev.loupe.search.ImageSearcher;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Query latency and index size at scale, on synthetic signatures (decode and feature extraction
 * are excluded by design: they are measured by {@link IngestBench}).
 *
 * <p>Builds an index of N images with uniformly random 256-bit hashes and random unit descriptors
 * (the worst case for both the chunk terms and the HNSW graph: real collections cluster, which
 * helps neither), then times {@link ImageSearcher#search} for queries that are near-duplicates of
 * stored images (a stored hash with 1 to 16 bits flipped, the searcher's radius, plus 7 random
 * dihedral variants, as a real
 * query sends 8 hashes) and reports p50/p90/p99 over all queries after a warm-up.
 *
 * <p>With {@code --devset}, the index also carries keypoints and the queries are the dev set's real
 * edited images: {@link KeypointScale}.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "Query latency p50/p99, disk and heap per image at N synthetic images.")
public final class ScaleBench implements Callable<Integer> {
  @Option(names = "--images", split = ",",
      description = "Index sizes (default: 100000,1000000; with --devset, 100000).")
  List<Integer> sizes;

  @Option(names = "--queries",
      description = "Timed queries per size (default: 2000; with --devset, 4 times the dev set's queries).")
  Integer queries;

  @Option(names = "--warmup",
      description = "Untimed queries first (default: 500; with --devset, as many as the dev set's queries).")
  Integer warmup;

  @Option(names = "--devset", description = "Keypoint mode: index the dev set's images with their keypoints, "
      + "give the synthetic images keypoints made of the distractors' descriptors, and time searches with the "
      + "dev set's edited queries (built by bench/fetch-data.sh, for example bench/data/devset).")
  Path devset;

  @Option(names = "--edits", split = ",", description = "With --devset: the edits whose queries are timed, those "
      + "the dev set has, and \"negatives\" for its negatives (default: crop50,caption,rotate90,crop30_corner,rotate_free,perspective).")
  List<String> edits = DevSetQueries.DEFAULT_EDITS;

  @Option(names = "--backend", description = "With --devset, repeatable: the index backends to build and time in "
      + "turn, each at every size: embedded (Lucene in the work folder) or a SolrCloud address solr://HOST:PORT[,...]/"
      + "COLLECTION (a collection per size is made from it: COLLECTION-N) (default: embedded).")
  List<String> backends = List.of("embedded");

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/scratch/scale");

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--similar-candidates", split = ",",
      description = "HNSW candidate pools to compare (default: the searcher's default).")
  List<Integer> similarCandidates = List.of(dev.loupe.search.SearchSettings.defaults().similarCandidates());

  @Option(names = "--keep", description = "Keep the built index and reuse it on the next run.")
  boolean keep;

  @Option(names = "--cold", description = "With --devset: before the timed queries, drop the page cache (needs root) and "
      + "time each query once on the index opened afresh (measure=search_cold).")
  boolean cold;

  @Option(names = "--thumbnail-bytes", description = "Size of the stand-in thumbnail per image (default: ${DEFAULT-VALUE}).")
  int thumbnailBytes = 0;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ScaleBench()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (devset != null) {
      System.out.printf("scale benchmark with keypoints: seed %d, %d cores, java %s%n", seed,
          Runtime.getRuntime().availableProcessors(), Runtime.version());
      KeypointScale keypoints = new KeypointScale(devset, edits, work, seed, keep, cold);
      for (int n : sizes == null ? List.of(100_000) : sizes) {
        for (String backend : backends) {
          keypoints.run(n, queries, warmup, backend);
        }
      }
      return 0;
    }
    if (queries == null) {
      queries = 2000;
    }
    if (warmup == null) {
      warmup = 500;
    }
    System.out.printf("scale benchmark: seed %d, %d queries after %d warm-up, %d cores, java %s%n", seed, queries,
        warmup, Runtime.getRuntime().availableProcessors(), Runtime.version());
    for (int n : sizes == null ? List.of(100_000, 1_000_000) : sizes) {
      run(n);
    }
    return 0;
  }

  private void run(int n) throws IOException {
    Random random = new Random(seed);
    Path dir = work.resolve("index-" + n);
    int dims = FeatureExtractor.DESCRIPTOR_DIMENSIONS;
    byte[] thumb = new byte[thumbnailBytes];
    random.nextBytes(thumb);
    ImageMetadata meta = new ImageMetadata("jpeg", 1600, 1200, thumb);
    Instant t0 = Instant.parse("2020-01-01T00:00:00Z");
    boolean build = true;
    if (keep && Files.isDirectory(dir)) {
      try (LuceneImageIndex existing = LuceneImageIndex.open(dir)) {
        build = existing.stats().images() != n;
      }
    }
    if (build) {
      deleteRecursively(dir);
    }
    // The signatures are replayed from the seed either way, so the queries match a kept index.
    List<ImageSignature> sample = new ArrayList<>();
    long heapBefore = usedHeapAfterGc();
    long buildStart = System.nanoTime();
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      for (int i = 0; i < n; i++) {
        ImageSignature sig = randomSignature(random, dims);
        if (i % Math.max(1, n / (queries + warmup)) == 0) {
          sample.add(sig);
        }
        if (!build) {
          continue;
        }
        index.add(sig, meta, Occurrence.of("https://site" + (i % 1000) + ".example/img/" + i + ".jpg",
            "https://site" + (i % 1000) + ".example/img/" + i + ".jpg", null, "image " + i, t0.plusSeconds(i)));
        if ((i + 1) % 50_000 == 0) {
          index.commit();
          System.out.printf("  %d: %d images indexed, %.0f s%n", n, i + 1, (System.nanoTime() - buildStart) / 1e9);
        }
      }
      index.commit();
      double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
      var stats = index.stats();
      System.out.printf("index of %d images: %s, %d segments, %.0f MB on disk%n", n,
          build ? String.format("built in %.0f s", buildSeconds) : "reused", stats.segments(), stats.bytesOnDisk() / 1e6);
      IndexDiskUse.byKind(dir).forEach((kind, bytes) ->
          System.out.printf("RESULT images=%d disk_part=%s bytes_per_image=%.0f%n", n, kind, (double) bytes / n));
      Random queryRandom = new Random(seed + 1);
      List<ImageSignature> targets = new ArrayList<>();
      List<ImageSignature> queryList = new ArrayList<>();
      for (int q = 0; q < warmup + queries; q++) {
        ImageSignature target = sample.get(q % sample.size());
        targets.add(target);
        // A copy within the searcher's radius, so the copy tier must find it.
        int radius = dev.loupe.search.SearchSettings.defaults().nearDuplicateDistance();
        queryList.add(nearCopy(queryRandom, target, 1 + queryRandom.nextInt(radius)));
      }
      var all = SearchRequest.defaults();
      var copies = all.withKinds(java.util.Set.of(MatchKind.EXACT, MatchKind.NEAR_DUPLICATE));
      for (int pool : similarCandidates) {
        var settings = dev.loupe.search.SearchSettings.defaults().withSimilarCandidates(pool);
        ImageSearcher searcher = new ImageSearcher(index, settings);
        // The searcher leaves copies out of its similar hits, and every query here is a copy of its
        // target; so the similar tier is timed alone as it looks images up (the HNSW search with its
        // candidate pool), where the target is the nearest descriptor.
        int k = settings.similarPool(all.topK());
        for (String tiers : List.of("all", "copies", "similar")) {
          if (pool != similarCandidates.getFirst() && tiers.equals("copies")) {
            continue; // The copy tier does not depend on the pool.
          }
          long[] nanos = new long[queries];
          int found = 0;
          for (int q = 0; q < warmup + queries; q++) {
            ImageSignature query = queryList.get(q);
            long start = System.nanoTime();
            String first = switch (tiers) {
              case "similar" -> {
                List<Candidate> hits = index.nearest(query.descriptor(), k, IndexFilter.NONE);
                yield hits.isEmpty() ? null : hits.getFirst().image().id();
              }
              default -> {
                List<SearchHit> hits = searcher.search(query, tiers.equals("all") ? all : copies);
                yield hits.isEmpty() ? null : hits.getFirst().id();
              }
            };
            long took = System.nanoTime() - start;
            if (q >= warmup) {
              nanos[q - warmup] = took;
              if (IndexedImage.idOf(targets.get(q).pixelKey()).equals(first)) {
                found++;
              }
            }
          }
          Arrays.sort(nanos);
          System.out.printf("RESULT images=%d tiers=%s similar_candidates=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f "
                  + "max_ms=%.2f top1_is_target=%.4f%n",
              n, tiers, pool, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6,
              (double) found / queries);
        }
      }
      long heap = usedHeapAfterGc() - heapBefore;
      System.out.printf("RESULT images=%d disk_bytes_per_image=%.0f heap_bytes_per_image=%.0f%n",
          n, (double) stats.bytesOnDisk() / n, (double) heap / n);
    }
    if (!keep) {
      deleteRecursively(dir);
    }
  }

  static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  static ImageSignature randomSignature(Random random, int dims) {
    Hash256 hash = new Hash256(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    byte[] key = new byte[32];
    random.nextBytes(key);
    return new ImageSignature(HexFormat.of().formatHex(key), hash, 60 + random.nextInt(40), List.of(hash),
        unit(random, dims));
  }

  private static ImageSignature nearCopy(Random random, ImageSignature target, int bits) {
    Hash256 h = target.hash();
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    java.util.Set<Integer> flipped = new java.util.HashSet<>();
    while (flipped.size() < bits) {
      flipped.add(random.nextInt(256));
    }
    for (int b : flipped) {
      w[b >>> 6] ^= 1L << (63 - (b & 63));
    }
    Hash256 near = new Hash256(w[0], w[1], w[2], w[3]);
    List<Hash256> variants = new ArrayList<>();
    variants.add(near);
    for (int v = 1; v < 8; v++) {
      variants.add(new Hash256(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()));
    }
    float[] noisy = noisyDescriptor(random, target.descriptor());
    byte[] key = new byte[32];
    random.nextBytes(key);
    return new ImageSignature(HexFormat.of().formatHex(key), near, target.quality(), variants, noisy);
  }

  /** {@code d} with Gaussian noise of 0.05 per dimension, normalised again: a near copy's descriptor. */
  static float[] noisyDescriptor(Random random, float[] d) {
    float[] noisy = new float[d.length];
    double norm = 0;
    for (int i = 0; i < d.length; i++) {
      noisy[i] = d[i] + (float) (0.05 * random.nextGaussian());
      norm += noisy[i] * noisy[i];
    }
    for (int i = 0; i < d.length; i++) {
      noisy[i] /= (float) Math.sqrt(norm);
    }
    return noisy;
  }

  private static float[] unit(Random random, int dims) {
    float[] d = new float[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      d[i] = (float) random.nextGaussian();
      norm += d[i] * d[i];
    }
    for (int i = 0; i < dims; i++) {
      d[i] /= (float) Math.sqrt(norm);
    }
    return d;
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
