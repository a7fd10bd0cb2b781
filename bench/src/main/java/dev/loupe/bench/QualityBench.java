package dev.loupe.bench;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.index.Candidate;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexedImage;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.ingest.ImageSource;
import dev.loupe.ingest.IngestReport;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.search.SearchSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dev-set quality benchmark (docs/devset.md): indexes originals and distractors, searches with
 * every edited query and every negative through Loupe's public API ({@link Loupe#search(byte[],
 * SearchRequest)}, top 10), and prints recall@1 per edit, how often the right image was claimed
 * as a copy, false copy claims, micro average precision and a precision/recall curve over scores,
 * the same for two pHash peers (JImageHash and OpenCV) on the same files, and the hash-distance
 * distributions used to tune the near-duplicate threshold.
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
    description = "Recall@1 per edit, copy claims, micro-AP and precision/recall on the dev set, with pHash peers "
        + "(build the dev set with bench/fetch-data.sh).")
public final class QualityBench implements Callable<Integer> {
  /** Hits per query: the default of the search API, and the depth of the pooled predictions. */
  static final int TOP_K = SearchRequest.DEFAULT_TOP_K;

  /** The precision a copy-claim threshold must keep. */
  static final double TARGET_PRECISION = 0.99;

  @Option(names = "--devset", description = "Dev set folder (default: ${DEFAULT-VALUE}).")
  Path devset = Path.of("bench/data/devset");

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/scratch/quality");

  @Option(names = "--radius", split = ",",
      description = "Near-duplicate radii to compare, in bits (default: the searcher's default); the first is "
          + "the one compared with the peers.")
  List<Integer> radii = List.of(SearchSettings.defaults().nearDuplicateDistance());

  @Option(names = "--reuse-index", description = "Reuse the index of an earlier run if present.")
  boolean reuse;

  @Option(names = "--thresholds", split = ",",
      description = "Score thresholds of the printed precision/recall table (default: ${DEFAULT-VALUE}).")
  List<Double> thresholds = List.of(0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95);

  @Option(names = "--no-peers", description = "Skip the pHash peers (JImageHash and OpenCV).")
  boolean noPeers;

  @Option(names = "--phash-bits", description = "Bit resolution asked of JImageHash's PerceptiveHash (default: ${DEFAULT-VALUE}).")
  int phashBits = 64;

  @Option(names = "--threads", description = "Threads hashing files for the peers (default: ${DEFAULT-VALUE}).")
  int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

  public static void main(String[] args) {
    System.exit(new CommandLine(new QualityBench()).execute(args));
  }

  private record Row(Path query, String edit, Path expected) {}

  /**
   * One hit as the metrics see it.
   *
   * @param correct whether it is the query's original
   * @param score the system's score, higher is more confident
   * @param kind Loupe's match kind, null for the peers
   * @param label what to print in examples
   * @param recoloured whether Loupe's differences say recoloured; null without differences (and for the peers)
   */
  private record Ranked(boolean correct, double score, MatchKind kind, String label, Boolean recoloured) {
    Ranked(boolean correct, double score, MatchKind kind, String label) {
      this(correct, score, kind, label, null);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (radii.isEmpty() || threads < 1) {
      throw new IllegalArgumentException("need at least one radius and one thread");
    }
    long start = System.nanoTime();
    List<Row> rows = readManifest();
    Path data = work.resolve("data");
    if (!reuse) {
      ScaleBench.deleteRecursively(data);
    }
    LoupeConfig config = LoupeConfig.defaults(data);
    Map<Path, String> idOf = new HashMap<>();
    Map<String, List<Integer>> distancesPerEdit = new LinkedHashMap<>();
    List<Integer> negativeDistances = new ArrayList<>();
    try (Loupe loupe = Loupe.open(config)) {
      if (loupe.index().stats().images() == 0) {
        for (String folder : List.of("originals", "distractors")) {
          ImageSource source = DirectorySource.scan(devset.resolve(folder));
          IngestReport report = loupe.ingestor().run(source, p -> { });
          System.out.printf("indexed %s: %d images, %d failed, %.1f s%n", folder, report.newImages(),
              report.failures().size(), report.elapsed().toNanos() / 1e9);
          report.failures().stream().limit(5).forEach(f -> System.out.println("  failed " + f.location() + ": " + f.message()));
        }
      }
      System.out.printf("index: %d images; %d queries with an original, %d negatives%n", loupe.index().stats().images(),
          rows.stream().filter(r -> r.expected != null).count(), rows.stream().filter(r -> r.expected == null).count());
      // Hash distances for tuning the radius: one analysis per query, through the engine's parts.
      for (Row row : rows) {
        ImageSignature query = loupe.analyzer().analyze(Files.readAllBytes(row.query)).signature();
        if (row.expected == null) {
          negativeDistances.add(nearestDistance(loupe, query));
        } else {
          String expectedId = idOf.computeIfAbsent(row.expected, p -> idOfFile(loupe, p));
          IndexedImage expected = loupe.index().image(expectedId).orElseThrow();
          distancesPerEdit.computeIfAbsent(row.edit, e -> new ArrayList<>()).add(minDistance(query, expected.signature().hash()));
        }
      }
    }

    Outcome compared = null;
    for (int radius : radii) {
      SearchSettings defaults = SearchSettings.defaults();
      SearchSettings settings = radius == defaults.nearDuplicateDistance() ? defaults
          : defaults.withNearDuplicateDistance(radius);
      List<List<Ranked>> results = new ArrayList<>();
      long searchStart = System.nanoTime();
      try (Loupe loupe = Loupe.open(config.withSearch(settings))) {
        for (Row row : rows) {
          String expectedId = row.expected == null ? null : idOf.get(row.expected);
          List<Ranked> ranked = new ArrayList<>();
          for (SearchHit h : loupe.search(Files.readAllBytes(row.query), SearchRequest.defaults())) {
            ranked.add(new Ranked(h.id().equals(expectedId), h.score(), h.match(),
                h.source() + " (" + h.match().wireName() + String.format(Locale.ROOT, " %.3f", h.score()) + ", d="
                    + h.hashDistance() + ")", h.differences() == null ? null : h.differences().recoloured()));
          }
          results.add(ranked);
        }
      }
      double seconds = (System.nanoTime() - searchStart) / 1e9;
      Outcome outcome = evaluate(rows, results, r -> r.kind().isCopy());
      System.out.printf("%n### Loupe, near-duplicate radius %d bits%n%n", radius);
      printLoupeTable(outcome);
      String prefix = "RESULT radius=" + radius;
      printResults(prefix, outcome);
      printCurve("system=loupe radius=" + radius, outcome, work.resolve("pr-loupe-r" + radius + ".csv"));
      Path claimsFile = work.resolve("false-claims-loupe-r" + radius + ".tsv");
      Files.write(claimsFile, outcome.falseClaims);
      System.out.printf("every copy claim of another image (%d): %s%n", outcome.falseClaims.size(), claimsFile);
      Path missesFile = work.resolve("misses-loupe-r" + radius + ".tsv");
      Files.write(missesFile, outcome.misses);
      System.out.printf("every query whose first hit is not its original (%d): %s%n", outcome.misses.size(), missesFile);
      System.out.printf("%d searches in %.1f s (%.1f ms each, decoding the query included)%n", rows.size(), seconds,
          1000 * seconds / rows.size());
      if (compared == null) {
        compared = outcome;
      }
    }

    List<PeerOutcome> peers = noPeers ? List.of() : runPeers(rows);
    printComparison(compared, radii.getFirst(), peers);

    System.out.printf("%nhash distance from each query to its original (min over the 8 variants):%n");
    distancesPerEdit.forEach((edit, d) -> System.out.printf("  %-20s %s%n", edit, quantiles(d)));
    System.out.printf("hash distance from each negative to its nearest indexed image (256 = none within 31): %s%n",
        quantiles(negativeDistances));
    System.out.printf(Locale.ROOT, "quality benchmark done in %.0f s%n", (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /** What one system did on the dev set: per edit, on negatives, and as pooled predictions. */
  private static final class Outcome {
    final Map<String, Stats> perEdit = new LinkedHashMap<>();
    final Stats negatives = new Stats();
    final Map<String, Integer> negativeClaimsPerEdit = new LinkedHashMap<>();
    final List<CopyMetrics.Prediction> predictions = new ArrayList<>();
    /** Every copy claim of another image than the query's original, one line each, negatives included. */
    final List<String> falseClaims = new ArrayList<>();
    /** Every query whose first hit is not its original, with that hit. */
    final List<String> misses = new ArrayList<>();
    int positives;

    double microAp() {
      return CopyMetrics.microAveragePrecision(predictions, positives);
    }
  }

  /** A peer's outcome, with the largest distance it claims copies at and the precision there. */
  private record PeerOutcome(HashPeer peer, Outcome outcome, int copyMaxDistance, double copyPrecision) {}

  /** Scores every row's ranked hits; {@code isCopy} says which hits the system claims as copies. */
  private static Outcome evaluate(List<Row> rows, List<List<Ranked>> results, Predicate<Ranked> isCopy) {
    var outcome = new Outcome();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      List<Ranked> hits = results.get(i);
      for (Ranked h : hits.subList(0, Math.min(TOP_K, hits.size()))) {
        outcome.predictions.add(new CopyMetrics.Prediction(h.correct(), h.score()));
      }
      long copies = hits.stream().filter(isCopy).count();
      if (row.expected == null) {
        outcome.negatives.queries++;
        if (copies > 0) {
          outcome.negatives.falseClaims++;
          outcome.negativeClaimsPerEdit.merge(row.edit, 1, Integer::sum);
          outcome.negatives.examples.add(row.query.getFileName() + " -> " + hits.getFirst().label());
          hits.stream().filter(isCopy).forEach(h -> outcome.falseClaims.add(row.edit + "\t" + row.query.getFileName()
              + "\t" + h.label()));
        }
        continue;
      }
      outcome.positives++;
      Stats st = outcome.perEdit.computeIfAbsent(row.edit, e -> new Stats());
      st.queries++;
      if (!hits.isEmpty() && hits.getFirst().correct()) {
        st.top1++;
        if (isCopy.test(hits.getFirst())) {
          st.top1AsCopy++;
          Boolean recoloured = hits.getFirst().recoloured();
          if (recoloured != null) {
            st.top1WithDifferences++;
            st.top1Recoloured += recoloured ? 1 : 0;
          }
        }
      } else {
        st.examples.add(row.query.getFileName() + " top1=" + (hits.isEmpty() ? "none" : hits.getFirst().label()));
        outcome.misses.add(row.edit + "\t" + row.query.getFileName() + "\t" + (hits.isEmpty() ? "none" : hits.getFirst().label()));
      }
      for (Ranked h : hits) {
        if (isCopy.test(h) && !h.correct()) {
          st.falseClaims++;
          st.examples.add("other copy claimed: " + row.query.getFileName() + " -> " + h.label());
          outcome.falseClaims.add(row.edit + "\t" + row.query.getFileName() + "\t" + h.label());
        }
      }
    }
    return outcome;
  }

  private static void printLoupeTable(Outcome outcome) {
    System.out.printf("| edit | queries | recall@1 | top-1 claimed as copy | other images claimed as copies |%n");
    System.out.printf("| --- | ---: | ---: | ---: | ---: |%n");
    for (var e : outcome.perEdit.entrySet()) {
      Stats st = e.getValue();
      System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %d |%n", e.getKey(), st.queries, st.recall(),
          st.copyRate(), st.falseClaims);
    }
    System.out.printf("| negatives | %d | - | - | %d |%n%n", outcome.negatives.queries, outcome.negatives.falseClaims);
    // Calibration of Differences.recoloured: only grey, brightness_contrast (and edits that add
    // coloured frames) change colours; crops, resizes and recompression should not say recoloured.
    System.out.printf("| edit | top-1 copies with differences | said recoloured |%n| --- | ---: | ---: |%n");
    for (var e : outcome.perEdit.entrySet()) {
      Stats st = e.getValue();
      System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", e.getKey(), st.top1WithDifferences, st.top1Recoloured);
    }
    System.out.println();
  }

  /** The per-edit and negative RESULT lines, with a few examples of misses and false claims. */
  private static void printResults(String prefix, Outcome outcome) {
    for (var e : outcome.perEdit.entrySet()) {
      Stats st = e.getValue();
      System.out.printf(Locale.ROOT, "%s edit=%s recall_at_1=%.4f copy_at_1=%.4f other_claims=%d recoloured=%d/%d%n",
          prefix, e.getKey(), st.recall(), st.copyRate(), st.falseClaims, st.top1Recoloured, st.top1WithDifferences);
      st.examples.stream().limit(4).forEach(x -> System.out.println("  " + x));
    }
    System.out.printf("%s negatives=%d false_copy_claims=%d%n", prefix, outcome.negatives.queries,
        outcome.negatives.falseClaims);
    if (!outcome.negativeClaimsPerEdit.isEmpty()) {
      System.out.println("  negatives claimed, by edit: " + outcome.negativeClaimsPerEdit);
    }
    outcome.negatives.examples.stream().limit(5).forEach(x -> System.out.println("  false claim: " + x));
  }

  /** Micro-AP, the precision/recall table at the chosen thresholds, and the lowest threshold keeping precision 0.99. */
  private void printCurve(String system, Outcome outcome, Path csv) throws IOException {
    List<CopyMetrics.Point> curve = CopyMetrics.curve(outcome.predictions, outcome.positives);
    CopyMetrics.writeCsv(curve, csv);
    System.out.printf(Locale.ROOT, "%nmicro-AP (%d predictions of %d queries, top %d each; %d queries have an original): %.4f%n",
        outcome.predictions.size(), outcome.negatives.queries + outcome.positives, TOP_K, outcome.positives,
        outcome.microAp());
    System.out.printf(Locale.ROOT, "RESULT %s micro_ap=%.4f%n", system, outcome.microAp());
    System.out.printf("%nprecision/recall over scores (all %d points in %s):%n%n", curve.size(), csv);
    System.out.printf("| score ≥ | predictions | correct | precision | recall |%n| ---: | ---: | ---: | ---: | ---: |%n");
    for (double t : thresholds) {
      CopyMetrics.Point p = CopyMetrics.at(curve, t);
      System.out.printf(Locale.ROOT, "| %.2f | %d | %d | %.4f | %.4f |%n", t, p.predictions(), p.correct(), p.precision(),
          p.recall());
    }
    for (double t : thresholds) {
      CopyMetrics.Point p = CopyMetrics.at(curve, t);
      System.out.printf(Locale.ROOT, "RESULT %s threshold=%.2f precision=%.4f recall=%.4f predictions=%d%n", system, t,
          p.precision(), p.recall(), p.predictions());
    }
    Optional<CopyMetrics.Point> p99 = CopyMetrics.lowestThresholdWithPrecision(curve, TARGET_PRECISION);
    System.out.println(p99.map(p -> String.format(Locale.ROOT,
            "RESULT %s lowest_threshold_p99=%.4f precision=%.4f recall=%.4f", system, p.threshold(), p.precision(), p.recall()))
        .orElse("RESULT " + system + " lowest_threshold_p99=none"));
  }

  /** Hashes every indexed file and query with both peers, then ranks by Hamming distance. */
  private List<PeerOutcome> runPeers(List<Row> rows) throws Exception {
    List<HashPeer> peers = List.of(HashPeer.jimageHash(phashBits), HashPeer.opencvPHash());
    List<Path> indexed = new ArrayList<>();
    for (String folder : List.of("originals", "distractors")) {
      try (Stream<Path> files = Files.list(devset.resolve(folder))) {
        indexed.addAll(files.filter(Files::isRegularFile).sorted().toList());
      }
    }
    Map<Path, Integer> position = new HashMap<>();
    for (int i = 0; i < indexed.size(); i++) {
      position.put(indexed.get(i), i);
    }
    List<Path> files = new ArrayList<>(indexed);
    rows.forEach(r -> files.add(r.query));
    long hashStart = System.nanoTime();
    long[][][] hashes = hashAll(peers, files);
    System.out.printf(Locale.ROOT, "%npeers: hashed %d files (%d indexed, %d queries) in %.1f s with %d threads%n",
        files.size(), indexed.size(), rows.size(), (System.nanoTime() - hashStart) / 1e9, threads);

    List<PeerOutcome> outcomes = new ArrayList<>();
    for (int p = 0; p < peers.size(); p++) {
      HashPeer peer = peers.get(p);
      List<long[]> index = Arrays.asList(hashes[p]).subList(0, indexed.size());
      List<List<Ranked>> results = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        int expected = row.expected == null ? -1 : position.getOrDefault(row.expected, -1);
        long[] query = hashes[p][indexed.size() + r];
        List<Ranked> ranked = new ArrayList<>();
        for (int i : HashPeer.nearest(query, index, TOP_K, expected)) {
          int d = HashPeer.distance(query, index.get(i));
          ranked.add(new Ranked(i == expected, peer.score(d), null, indexed.get(i).getFileName() + " (d=" + d + ")"));
        }
        results.add(ranked);
      }
      // The copy threshold is the lowest score that keeps precision 0.99 on this very run; when
      // even identical hashes fall short of it, identical hashes only.
      Outcome scoresOnly = evaluate(rows, results, h -> false);
      List<CopyMetrics.Point> curve = CopyMetrics.curve(scoresOnly.predictions, scoresOnly.positives);
      Optional<CopyMetrics.Point> p99 = CopyMetrics.lowestThresholdWithPrecision(curve, TARGET_PRECISION);
      CopyMetrics.Point point = p99.orElse(curve.getFirst());
      Outcome outcome = evaluate(rows, results, h -> h.score() >= point.threshold());
      int maxDistance = (int) Math.round((1 - point.threshold()) * peer.bits());
      System.out.printf("%n### %s%n", peer.label());
      System.out.printf(Locale.ROOT, "copy claim at distance ≤ %d of %d (score ≥ %.4f, precision %.4f): %s%n", maxDistance,
          peer.bits(), point.threshold(), point.precision(), p99.isPresent()
              ? "the loosest threshold with precision ≥ " + TARGET_PRECISION + " on this run"
              : "no threshold reaches precision " + TARGET_PRECISION + " on this run, so identical hashes only");
      System.out.printf(Locale.ROOT, "RESULT system=%s copy_max_distance=%d precision=%.4f reaches_p99=%b%n", peer.id(),
          maxDistance, point.precision(), p99.isPresent());
      printResults("RESULT system=" + peer.id(), outcome);
      printCurve("system=" + peer.id(), outcome, work.resolve("pr-" + peer.id() + ".csv"));
      outcomes.add(new PeerOutcome(peer, outcome, maxDistance, point.precision()));
    }
    return outcomes;
  }

  /** {@code [peer][file]} hashes, decoding each file once, on {@link #threads} threads. */
  private long[][][] hashAll(List<HashPeer> peers, List<Path> files) throws Exception {
    long[][][] hashes = new long[peers.size()][files.size()][];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        int f = i;
        futures.add(pool.submit(() -> {
          Path file = files.get(f);
          BufferedImage image = SourceImages.decodeBgr(Files.readAllBytes(file), file);
          for (int p = 0; p < peers.size(); p++) {
            hashes[p][f] = peers.get(p).hash(image);
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      pool.shutdownNow();
    }
    return hashes;
  }

  /** The one table of Loupe against the peers: recall@1 per edit, micro-AP and copy claims on negatives. */
  private static void printComparison(Outcome loupe, int radius, List<PeerOutcome> peers) {
    System.out.printf("%n### Loupe and the pHash peers, same files%n%n");
    var header = new StringBuilder("| edit | queries | Loupe |");
    var rule = new StringBuilder("| --- | ---: | ---: |");
    for (PeerOutcome p : peers) {
      header.append(' ').append(p.peer().label()).append(" |");
      rule.append(" ---: |");
    }
    System.out.println(header);
    System.out.println(rule);
    for (var e : loupe.perEdit.entrySet()) {
      var line = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.3f |", e.getKey(), e.getValue().queries,
          e.getValue().recall()));
      for (PeerOutcome p : peers) {
        line.append(String.format(Locale.ROOT, " %.3f |", p.outcome().perEdit.get(e.getKey()).recall()));
      }
      System.out.println(line);
    }
    int all = loupe.positives + loupe.negatives.queries;
    var ap = new StringBuilder(String.format(Locale.ROOT, "| **micro-AP** (top %d of every query) | %d | %.3f |", TOP_K, all,
        loupe.microAp()));
    var claims = new StringBuilder(String.format(Locale.ROOT, "| **negatives with a copy claim** | %d | %d |",
        loupe.negatives.queries, loupe.negatives.falseClaims));
    var copies = new StringBuilder(String.format(Locale.ROOT, "| top-1 is the original and claimed as a copy | %d | %.3f |",
        loupe.positives, copyRate(loupe)));
    for (PeerOutcome p : peers) {
      ap.append(String.format(Locale.ROOT, " %.3f |", p.outcome().microAp()));
      claims.append(String.format(Locale.ROOT, " %d (d ≤ %d, precision %.3f) |", p.outcome().negatives.falseClaims,
          p.copyMaxDistance(), p.copyPrecision()));
      copies.append(String.format(Locale.ROOT, " %.3f |", copyRate(p.outcome())));
    }
    System.out.println(ap);
    System.out.println(copies);
    System.out.println(claims);
    System.out.printf("%nRecall@1: the expected original is the first hit (for the peers the nearest hash, a tie counting "
        + "as a miss). Loupe claims a copy by its match kind (score ≥ 0.75), at radius %d; each peer at the largest "
        + "Hamming distance that keeps precision ≥ %.2f over all predictions of this run (a threshold chosen on the "
        + "test data itself, which flatters the peers), or at distance 0 when no distance reaches that precision.%n",
        radius, TARGET_PRECISION);
    for (PeerOutcome p : peers) {
      System.out.printf(Locale.ROOT, "RESULT system=%s micro_ap=%.4f negatives=%d false_copy_claims=%d%n", p.peer().id(),
          p.outcome().microAp(), p.outcome().negatives.queries, p.outcome().negatives.falseClaims);
    }
  }

  private static double copyRate(Outcome outcome) {
    int copies = outcome.perEdit.values().stream().mapToInt(s -> s.top1AsCopy).sum();
    return outcome.positives == 0 ? 0 : (double) copies / outcome.positives;
  }

  private static int minDistance(ImageSignature query, Hash256 stored) {
    List<Hash256> variants = query.dihedral().isEmpty() ? List.of(query.hash()) : query.dihedral();
    return variants.stream().mapToInt(stored::distance).min().orElse(256);
  }

  private static int nearestDistance(Loupe loupe, ImageSignature query) throws IOException {
    List<Hash256> variants = query.dihedral().isEmpty() ? List.of(query.hash()) : query.dihedral();
    List<Candidate> near = loupe.index().withinDistance(variants, 31, 0, IndexFilter.NONE, 1);
    return near.isEmpty() ? 256 : near.getFirst().hashDistance();
  }

  static String idOfFile(Loupe loupe, Path file) {
    try {
      return IndexedImage.idOf(loupe.analyzer().analyze(Files.readAllBytes(file)).signature().pixelKey());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read original " + file + ": " + e.getMessage(), e);
    }
  }

  private static String quantiles(List<Integer> values) {
    if (values.isEmpty()) {
      return "n=0";
    }
    int[] v = values.stream().mapToInt(Integer::intValue).sorted().toArray();
    return String.format("n=%d min=%d p10=%d p50=%d p90=%d p99=%d max=%d", v.length, v[0], v[v.length / 10],
        v[v.length / 2], v[Math.min(v.length - 1, v.length * 9 / 10)], v[Math.min(v.length - 1, v.length * 99 / 100)],
        v[v.length - 1]);
  }

  private List<Row> readManifest() throws IOException {
    Path manifest = devset.resolve("manifest.csv");
    if (!Files.isRegularFile(manifest)) {
      throw new IOException("no dev set at " + devset + ": run bench/fetch-data.sh first");
    }
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("query_file")) {
        continue;
      }
      String[] f = Arrays.copyOf(line.split(",", -1), 3);
      rows.add(new Row(devset.resolve(f[0]), f[1], f[2] == null || f[2].isBlank() ? null : devset.resolve(f[2])));
    }
    return rows;
  }

  private static final class Stats {
    int queries;
    int top1;
    int top1AsCopy;
    int top1WithDifferences;
    int top1Recoloured;
    int falseClaims;
    final List<String> examples = new ArrayList<>();

    double recall() {
      return queries == 0 ? 0 : (double) top1 / queries;
    }

    double copyRate() {
      return queries == 0 ? 0 : (double) top1AsCopy / queries;
    }
  }
}
