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
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The dev-set quality benchmark (docs/devset.md): indexes originals and distractors, searches with
 * every edited query and every negative, and prints recall@1 per edit, how often the right image was
 * claimed as a copy, false copy claims, and the hash-distance distributions used to tune the
 * near-duplicate threshold.
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
    description = "Recall@1 per edit and false copy claims on the dev set (build it with bench/fetch-data.sh).")
public final class QualityBench implements Callable<Integer> {
  @Option(names = "--devset", description = "Dev set folder (default: ${DEFAULT-VALUE}).")
  Path devset = Path.of("bench/data/devset");

  @Option(names = "--work", description = "Scratch folder (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/scratch/quality");

  @Option(names = "--radius", split = ",",
      description = "Near-duplicate radii to compare, in bits (default: the searcher's default).")
  List<Integer> radii = List.of(dev.loupe.search.SearchSettings.defaults().nearDuplicateDistance());

  @Option(names = "--reuse-index", description = "Reuse the index of an earlier run if present.")
  boolean reuse;

  public static void main(String[] args) {
    System.exit(new CommandLine(new QualityBench()).execute(args));
  }

  private record Row(Path query, String edit, Path expected) {}

  @Override
  public Integer call() throws Exception {
    List<Row> rows = readManifest();
    Path data = work.resolve("data");
    if (!reuse) {
      ScaleBench.deleteRecursively(data);
    }
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      if (loupe.index().stats().images() == 0) {
        for (String folder : List.of("originals", "distractors")) {
          ImageSource source = DirectorySource.scan(devset.resolve(folder));
          IngestReport report = loupe.ingestor().run(source, p -> { });
          System.out.printf("indexed %s: %d images, %d failed, %.1f s%n", folder, report.newImages(),
              report.failures().size(), report.elapsed().toNanos() / 1e9);
          report.failures().stream().limit(5).forEach(f -> System.out.println("  failed " + f.location() + ": " + f.message()));
        }
      }
      System.out.printf("index: %d images; near-duplicate radius %d bits, min copy quality %d%n",
          loupe.index().stats().images(), loupe.searcher().settings().nearDuplicateDistance(),
          loupe.searcher().settings().minCopyQuality());

      Map<Path, String> idOf = new HashMap<>();
      Map<String, List<Integer>> distancesPerEdit = new LinkedHashMap<>();
      List<Integer> negativeDistances = new ArrayList<>();
      // Analyse every query once; the radii below only change the searcher.
      List<dev.loupe.ingest.ImageAnalyzer.Analysis> analyses = new ArrayList<>();
      for (Row row : rows) {
        var analysis = loupe.analyzer().analyzeQuery(Files.readAllBytes(row.query));
        analyses.add(analysis);
        ImageSignature query = analysis.signature();
        if (row.expected == null) {
          negativeDistances.add(nearestDistance(loupe, query));
        } else {
          String expectedId = idOf.computeIfAbsent(row.expected, p -> idOfFile(loupe, p));
          IndexedImage expected = loupe.index().image(expectedId).orElseThrow();
          distancesPerEdit.computeIfAbsent(row.edit, e -> new ArrayList<>()).add(minDistance(query, expected.signature().hash()));
        }
      }
      for (int radius : radii) {
        var defaults = dev.loupe.search.SearchSettings.defaults();
        var searcher = new dev.loupe.search.ImageSearcher(loupe.index(),
            defaults.withNearDuplicateDistance(radius));
        Map<String, Stats> perEdit = new LinkedHashMap<>();
        Stats negatives = new Stats();
        long start = System.nanoTime();
        for (int i = 0; i < rows.size(); i++) {
          Row row = rows.get(i);
          List<SearchHit> hits = searcher.search(loupe.queryOf(analyses.get(i)), SearchRequest.defaults());
          long copies = hits.stream().filter(h -> h.match().isCopy()).count();
          if (row.expected == null) {
            negatives.queries++;
            if (copies > 0) {
              negatives.falseClaims++;
              negatives.examples.add(row.query.getFileName() + " -> " + hits.getFirst().source() + " ("
                  + hits.getFirst().match().wireName() + ", d=" + hits.getFirst().hashDistance() + ")");
            }
            continue;
          }
          String expectedId = idOf.get(row.expected);
          Stats st = perEdit.computeIfAbsent(row.edit, e -> new Stats());
          st.queries++;
          if (!hits.isEmpty() && hits.getFirst().id().equals(expectedId)) {
            st.top1++;
            if (hits.getFirst().match().isCopy()) {
              st.top1AsCopy++;
            }
          } else {
            st.examples.add(row.query.getFileName() + " top1=" + (hits.isEmpty() ? "none" : hits.getFirst().source()));
          }
          for (SearchHit h : hits) {
            if (h.match().isCopy() && !h.id().equals(expectedId)) {
              st.falseClaims++;
              st.examples.add("other copy claimed: " + row.query.getFileName() + " -> " + h.source() + " d=" + h.hashDistance());
            }
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%n### near-duplicate radius %d bits%n%n", radius);
        System.out.printf("| edit | queries | recall@1 | top-1 claimed as copy | other images claimed as copies |%n");
        System.out.printf("| --- | ---: | ---: | ---: | ---: |%n");
        for (var e : perEdit.entrySet()) {
          Stats st = e.getValue();
          System.out.printf("| %s | %d | %.3f | %.3f | %d |%n", e.getKey(), st.queries, st.recall(),
              (double) st.top1AsCopy / st.queries, st.falseClaims);
        }
        System.out.printf("| negatives | %d | - | - | %d |%n%n", negatives.queries, negatives.falseClaims);
        for (var e : perEdit.entrySet()) {
          System.out.printf("RESULT radius=%d edit=%s recall_at_1=%.4f copy_at_1=%.4f other_claims=%d%n", radius,
              e.getKey(), e.getValue().recall(), (double) e.getValue().top1AsCopy / e.getValue().queries,
              e.getValue().falseClaims);
          e.getValue().examples.stream().limit(4).forEach(x -> System.out.println("  " + x));
        }
        System.out.printf("RESULT radius=%d negatives=%d false_copy_claims=%d%n", radius, negatives.queries,
            negatives.falseClaims);
        negatives.examples.stream().limit(5).forEach(x -> System.out.println("  false claim: " + x));
        System.out.printf("%d searches in %.1f s (%.2f ms each, decode excluded)%n", rows.size(), seconds,
            1000 * seconds / rows.size());
      }
      System.out.printf("%nhash distance from each query to its original (min over the 8 variants):%n");
      distancesPerEdit.forEach((edit, d) -> System.out.printf("  %-20s %s%n", edit, quantiles(d)));
      System.out.printf("hash distance from each negative to its nearest indexed image (256 = none within 31): %s%n",
          quantiles(negativeDistances));
    }
    return 0;
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

  private static String idOfFile(Loupe loupe, Path file) {
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
    int falseClaims;
    final List<String> examples = new ArrayList<>();

    double recall() {
      return queries == 0 ? 0 : (double) top1 / queries;
    }
  }
}
