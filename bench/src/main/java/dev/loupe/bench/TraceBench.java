package dev.loupe.bench;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import dev.loupe.features.WordLookup;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.KeypointCandidate;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.keypoints.Alignment;
import dev.loupe.keypoints.GeometricVerifier;
import dev.loupe.search.RegionPass;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchQuery;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Where the copy tiers lose an edited query's original: for each query of the chosen edits, the
 * search's first hit, then the original's place in the keypoint tier's word vote (own words and
 * the words one bit away) and what geometric verification makes of the query against the original
 * directly (with the engine's inlier threshold, and with 4 to see how far short it falls), for the
 * query as analysed and at half its working size (the region pass's first step). Reads the dev-set
 * index of {@code bench/run quality} (its {@code --work} folder).
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Where the copy tiers lose each query's original (vote rank, inliers), on the quality bench's index.")
final class TraceBench implements Callable<Integer> {
  /** How deep the vote is read to find the original's rank. */
  private static final int VOTE_DEPTH = 1000;

  @Option(names = "--devset", description = "Dev set folder (default: ${DEFAULT-VALUE}).")
  Path devset = Path.of("bench/data/devset");

  @Option(names = "--work", description = "The quality bench's scratch folder, holding its index (default: ${DEFAULT-VALUE}).")
  Path work = Path.of("bench/scratch/quality");

  @Option(names = "--edits", split = ",", description = "Edits to trace (default: ${DEFAULT-VALUE}).")
  List<String> edits = List.of("crop20_corner");

  @Option(names = "--misses-only", description = "Print only the queries whose original is not the first hit.")
  boolean missesOnly;

  private final RegionPass regionPass = new RegionPass();
  private final GeometricVerifier loose = new GeometricVerifier(4);

  /** One query's view of the tiers, at one scale. */
  record View(int keypoints, int ownRank, int ownShared, int probedRank, Optional<Alignment> strict,
      Optional<Alignment> loose) {}

  @Override
  public Integer call() throws Exception {
    Path data = work.resolve("data");
    if (!Files.isDirectory(data.resolve("index"))) {
      throw new IOException("no dev-set index in " + data + ": run bench/run quality --work " + work + " first");
    }
    List<DevSetQueries.Query> queries = DevSetQueries.read(devset, edits).stream()
        .filter(q -> q.original() != null).toList();
    Map<Path, String> idOf = new HashMap<>();
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data))) {
      GeometricVerifier strict = new GeometricVerifier(loupe.searcher().settings().minInliers());
      int depth = loupe.searcher().settings().keypointCandidates();
      System.out.printf("%d queries; the vote keeps %d candidates (own words), %d (probed); ranks below are 1-based,"
          + " '-' past %d%n", queries.size(), depth, 2 * depth, VOTE_DEPTH);
      System.out.println("edit\tquery\tfirst hit\tscale\tkeypoints query/stored\town rank\tshared\tprobed rank\tinliers (min "
          + loupe.searcher().settings().minInliers() + ")\tinliers (min 4)/matches\tcoverage hit/query"
          + "\thash distance whole/best quadrant (radius " + loupe.searcher().settings().nearDuplicateDistance() + ")");
      List<String> summary = new ArrayList<>();
      int firstIsOriginal = 0;
      int[] inVote = new int[2];
      int[] verifies = new int[2];
      for (DevSetQueries.Query q : queries) {
        String expected = idOf.computeIfAbsent(q.original(), p -> QualityBench.idOfFile(loupe, p));
        IndexedImage original = loupe.index().image(expected).orElseThrow();
        // image(id) leaves the keypoints out (the vote's reads bring them); they are read on their own.
        LocalFeatures stored = loupe.index().localFeatures(expected).orElse(LocalFeatures.EMPTY);
        ImageAnalyzer.Analysis analysis = loupe.analyzer().analyzeQuery(Files.readAllBytes(q.file()));
        List<SearchHit> hits = loupe.search(analysis, SearchRequest.defaults());
        boolean first = !hits.isEmpty() && hits.getFirst().id().equals(expected);
        firstIsOriginal += first ? 1 : 0;
        if (missesOnly && first) {
          continue;
        }
        String firstHit = hits.isEmpty() ? "none"
            : (first ? "original " : "other ") + hits.getFirst().match().wireName();
        SearchQuery whole = loupe.queryOf(analysis);
        LocalFeatures wholeKeypoints = analysis.signature().local();
        // The half-scale query as the region pass makes it (none for a query too small to halve).
        LocalFeatures halfKeypoints = RegionPass.halvable(whole)
            ? regionPass.halfScaleQuery(whole, true).signature().local() : LocalFeatures.EMPTY;
        View[] views = {
            view(loupe, wholeKeypoints, original.id(), stored, strict),
            view(loupe, halfKeypoints, original.id(), stored, strict)};
        String[] scales = {"whole", "half"};
        String hashes = distance(analysis.signature(), original) + "/" + bestQuadrant(whole, original);
        for (int s = 0; s < 2; s++) {
          View v = views[s];
          inVote[s] += v.ownRank() > 0 && v.ownRank() <= depth ? 1 : 0;
          verifies[s] += v.strict().isPresent() ? 1 : 0;
          System.out.printf(Locale.ROOT, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s%n", q.edit(),
              q.file().getFileName(), firstHit, scales[s], v.keypoints() + "/" + stored.size(), rank(v.ownRank()), v.ownShared(),
              rank(v.probedRank()), v.strict().map(a -> String.valueOf(a.inliers())).orElse("-"),
              v.loose().map(a -> a.inliers() + "/" + a.matches()).orElse("-"),
              v.loose().map(a -> String.format(Locale.ROOT, "%.2f/%.2f", a.hitCoverage(), a.queryCoverage())).orElse("-"),
              s == 0 ? hashes : "");
        }
      }
      int traced = missesOnly ? queries.size() - firstIsOriginal : queries.size();
      summary.add(String.format(Locale.ROOT, "original first: %d of %d queries", firstIsOriginal, queries.size()));
      for (int s = 0; s < 2; s++) {
        summary.add(String.format(Locale.ROOT, "%s: of %d traced, the original is in the own-word vote's first %d"
            + " for %d and verifies against the query directly for %d", s == 0 ? "whole query" : "half scale", traced,
            depth, inVote[s], verifies[s]));
      }
      summary.forEach(line -> System.out.println("RESULT " + line));
    }
    return 0;
  }

  private View view(Loupe loupe, LocalFeatures local, String id, LocalFeatures stored, GeometricVerifier strict)
      throws IOException {
    int[] own = rankOf(loupe, VisualWords.exact(local), id);
    int[] probed = rankOf(loupe, VisualWords.probed(local), id);
    return new View(local.size(), own[0], own[1], probed[0], strict.verify(local, stored), loose.verify(local, stored));
  }

  /** The original's 1-based rank in the vote and its shared words, or {0, 0} past the depth read. */
  private static int[] rankOf(Loupe loupe, WordLookup words, String id) throws IOException {
    List<KeypointCandidate> vote = loupe.index().sharingWords(words, VOTE_DEPTH, IndexFilter.NONE);
    for (int i = 0; i < vote.size(); i++) {
      if (vote.get(i).image().id().equals(id)) {
        return new int[] {i + 1, vote.get(i).sharedWords()};
      }
    }
    return new int[] {0, 0};
  }

  /** The least Hamming distance from the original's hash to any of the signature's dihedral hashes. */
  private static int distance(ImageSignature query, IndexedImage original) {
    Hash256 stored = original.signature().hash();
    List<Hash256> hashes = query.dihedral().isEmpty() ? List.of(query.hash()) : query.dihedral();
    return hashes.stream().mapToInt(h -> h.distance(stored)).min().orElseThrow();
  }

  /**
   * {@link #distance} for the best of the query's quadrants, each made as the region pass makes it;
   * "-" for a query too small to have them.
   */
  private String bestQuadrant(SearchQuery whole, IndexedImage original) {
    int best = Integer.MAX_VALUE;
    for (RegionPass.Box box : RegionPass.tiles(whole.pixels())) {
      best = Math.min(best, distance(regionPass.regionQuery(whole, box, false).signature(), original));
    }
    return best == Integer.MAX_VALUE ? "-" : String.valueOf(best);
  }

  private static String rank(int rank) {
    return rank == 0 ? "-" : String.valueOf(rank);
  }
}
