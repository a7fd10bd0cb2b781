package dev.loupe.bench;

import dev.loupe.engine.IndexOpener;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.Candidate;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.KeypointCandidate;
import dev.loupe.index.Occurrence;
import dev.loupe.index.solr.SolrImageIndex;
import dev.loupe.index.solr.SolrIndexAddress;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.keypoints.GeometricVerifier;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.search.SearchSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The keypoint mode of {@link ScaleBench} ({@code --devset}): query latency of full searches, local
 * features and geometric verification included, at N indexed images, with real edited queries.
 *
 * <p>The index holds the dev set's originals and distractors with their real signatures and
 * keypoints, and enough synthetic images to make N: random hashes and descriptors as in the plain
 * mode, and keypoint sets from a {@link KeypointPool} of the distractors' real descriptors (the
 * originals stay out of the pool, so that no synthetic image holds a copy of an original's
 * keypoints). Queries are the dev set's edited copies of the originals, searched as {@link
 * Loupe#search(ImageAnalyzer.Analysis, SearchRequest)} does: every tier, top 10, default settings.
 * Each query is timed twice, decoding and extraction excluded (analysed beforehand) and included
 * (from the encoded bytes in memory), and then by parts through the index's own calls.
 */
final class KeypointScale {
  private static final Instant T0 = Instant.parse("2020-01-01T00:00:00Z");
  /** The index field of the visual words (the engine's {@code ImageDocuments.F_WORD}). */
  private static final String WORD_FIELD = "vw";
  /** The index fields of the copy descriptor and of the image id ({@code ImageDocuments.F_VEC}, {@code F_ID}). */
  private static final String VECTOR_FIELD = "vec";
  private static final String ID_FIELD = "id";
  /** How many stored descriptors the similar tier's own recall is measured with. */
  private static final int SIMILAR_PROBES = 500;

  private final Path devset;
  private final List<String> edits;
  private final Path work;
  private final long seed;
  private final boolean keep;
  private final boolean cold;

  private record Real(Path file, ImageSignature signature, ImageMetadata metadata) {}

  private record Prepared(
      DevSetQueries.Query query, byte[] bytes, ImageAnalyzer.Analysis analysis, String expectedId) {}

  /** One timed query: each measure in nanoseconds, by name. */
  private record Sample(String edit, Map<String, Long> nanos, boolean top1, boolean copyClaimed, int otherCopies) {}

  KeypointScale(Path devset, List<String> edits, Path work, long seed, boolean keep, boolean cold) {
    this.devset = devset;
    this.edits = edits;
    this.work = work;
    this.seed = seed;
    this.keep = keep;
    this.cold = cold;
  }

  /**
   * Builds (or reuses) an index of {@code n} images on {@code backend} ({@code embedded}, or a Solr
   * address whose collection gets the suffix {@code -N}) and times the queries on it.
   */
  void run(int n, Integer queries, Integer warmup, String backend) throws IOException {
    boolean embedded = backend.equals("embedded");
    SolrIndexAddress solr = embedded ? null : sized(SolrIndexAddress.parse(backend), n);
    String label = embedded ? "embedded" : "solr";
    List<String> present = DevSetQueries.present(devset, edits);
    List<DevSetQueries.Query> queryFiles = DevSetQueries.read(devset, present);
    if (queryFiles.isEmpty()) {
      throw new IOException("no queries of the edits " + edits + " in " + devset);
    }
    ImageAnalyzer analyzer = new ImageAnalyzer(new ImageLoader(ImageLimits.defaults()), new FeatureExtractor());
    List<Real> originals = analyse(analyzer, DevSetQueries.images(devset.resolve("originals")));
    List<Real> distractors = analyse(analyzer, DevSetQueries.images(devset.resolve("distractors")));
    int reals = originals.size() + distractors.size();
    if (n < reals) {
      throw new IllegalArgumentException("--images must be at least the dev set's " + reals + " images, got: " + n);
    }
    KeypointPool pool = new KeypointPool(distractors.stream().map(r -> r.signature().local()).toList());
    System.out.printf("keypoint pool: %d descriptors from %d distractors (%.1f keypoints per image)%n",
        pool.descriptors(), pool.images(), pool.meanKeypoints());

    Path data = work.resolve("keypoints-" + n + (embedded ? "" : "-solr"));
    Path indexDir = data.resolve("index");
    IndexOpener opener = embedded ? IndexOpener.EMBEDDED : dataDir -> SolrImageIndex.open(solr);
    build(n, originals, distractors, pool, data, opener, label);
    Map<Path, String> idOf = new LinkedHashMap<>();
    for (Real r : originals) {
      idOf.put(r.file().toAbsolutePath().normalize(), IndexedImage.idOf(r.signature().pixelKey()));
    }

    List<Prepared> prepared = new ArrayList<>();
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data).withIndex(opener))) {
      for (DevSetQueries.Query q : queryFiles) {
        byte[] bytes = Files.readAllBytes(q.file());
        String expected = q.original() == null ? null : idOf.get(q.original().toAbsolutePath().normalize());
        if (expected == null && q.original() != null) {
          throw new IOException("the original of " + q.file() + " is not among the originals: " + q.original());
        }
        // As Loupe.search(bytes) analyses a query: with the query's larger keypoint budget.
        prepared.add(new Prepared(q, bytes, analyse(loupe.analyzer(), bytes, q.file(), true), expected));
      }
    }
    if (cold) {
      coldPass(n, data, opener, prepared);
    }
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data).withIndex(opener))) {
      if (embedded) {
        printPostings(n, indexDir, prepared);
      }
      int timed = queries != null ? queries : 4 * prepared.size();
      int untimed = warmup != null ? warmup : prepared.size();
      System.out.printf("queries: %d edited copies of %d originals (edits %s); %d timed after %d untimed, in turn%n",
          prepared.size(), originals.size(), String.join(",", present), timed, untimed);
      List<Sample> samples = new ArrayList<>();
      // The same index searched without the quadrant and half-scale passes, for their cost.
      var withoutRegions = new dev.loupe.search.ImageSearcher(loupe.index(),
          loupe.searcher().settings().withRegionPass(false));
      for (int i = 0; i < untimed + timed; i++) {
        Sample s = time(loupe, withoutRegions, prepared.get(i % prepared.size()));
        if (i >= untimed) {
          samples.add(s);
        }
      }
      System.out.printf("backend: %s%n", label);
      report(n, present, samples);
      if (embedded) {
        printSimilarRecall(n, loupe, indexDir);
      }
    }
    if (!keep) {
      ScaleBench.deleteRecursively(data);
    }
  }

  private void build(int n, List<Real> originals, List<Real> distractors, KeypointPool pool, Path data,
      IndexOpener opener, String label) throws IOException {
    boolean embedded = opener == IndexOpener.EMBEDDED;
    Path indexDir = data.resolve("index");
    int reals = originals.size() + distractors.size();
    long have = 0;
    if (keep && (!embedded || Files.isDirectory(indexDir))) {
      try (ImageIndex existing = opener.open(data)) {
        have = existing.stats().images();
        if (have == n) {
          System.out.printf("index of %d images (%s): reused%n", n, label);
          printDisk(n, existing.stats().bytesOnDisk(), embedded ? indexDir : null);
          return;
        }
        if (!embedded && existing.stats().images() > 0) {
          throw new IOException("the Solr collection holds " + existing.stats().images() + " images, not " + n
              + ": delete it or name another");
        }
      }
    }
    // A kept index that holds the real images and fewer than n is grown where it stopped: a build
    // of millions can be stopped (it commits every 25,000 images) and run again.
    boolean resume = embedded && have >= reals && have < n;
    if (embedded && !resume) {
      ScaleBench.deleteRecursively(data);
    }
    Random random = new Random(resume ? seed + have : seed);
    int dims = FeatureExtractor.DESCRIPTOR_DIMENSIONS;
    ImageMetadata synthetic = new ImageMetadata("jpeg", 1600, 1200, new byte[0]);
    long start = System.nanoTime();
    try (ImageIndex index = opener.open(data)) {
      int i = 0;
      if (resume) {
        i = (int) have;
        System.out.printf("index of %d images (%s): growing it to %d%n", have, label, n);
      } else {
        for (Real r : Stream.concat(originals.stream(), distractors.stream()).toList()) {
          String source = r.file().getParent().getFileName() + "/" + r.file().getFileName();
          index.add(r.signature(), r.metadata(), Occurrence.of(source, null, null, source, T0.plusSeconds(i++)));
        }
      }
      int first = i;
      for (; i < n; i++) {
        ImageSignature sig = ScaleBench.randomSignature(random, dims).withLocal(pool.sample(random));
        String url = "https://site" + (i % 1000) + ".example/img/" + i + ".jpg";
        index.add(sig, synthetic, Occurrence.of(url, url, null, "image " + i, T0.plusSeconds(i)));
        if ((i + 1) % 25_000 == 0) {
          index.commit();
          System.out.printf("  %d images indexed, %.0f s%n", i + 1, (System.nanoTime() - start) / 1e9);
        }
      }
      index.commit();
      var stats = index.stats();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("index of %d images (%d real, %d synthetic) on %s: built in %.0f s%s, %d segments, %.0f MB on disk%n",
          n, reals, n - reals, label, seconds, resume ? " (grown from " + first + ")" : "",
          stats.segments(), stats.bytesOnDisk() / 1e6);
      System.out.printf("RESULT images=%d backend=%s build_s=%.0f images_per_s=%.0f%n", n, label, seconds,
          (n - (resume ? first : 0)) / seconds);
      printDisk(n, stats.bytesOnDisk(), embedded ? indexDir : null);
    }
  }

  /**
   * The similar tier's own recall at this size: the stored descriptors of {@value #SIMILAR_PROBES}
   * images drawn at random, each with the plain mode's near-copy noise, searched as the tier
   * searches (its candidate pool, every segment); the share whose first hit is the image the
   * descriptor came from. Nearly all are synthetic images, whose descriptors are random unit vectors
   * (the hardest case for the graph, as in the plain mode); with such noise the image itself is the
   * exact nearest neighbour, so a miss is the approximate search's. It says nothing of which real
   * pictures the tier calls similar: that is the likeness dev set's measure.
   */
  private void printSimilarRecall(int n, Loupe loupe, Path indexDir) throws IOException {
    Random random = new Random(seed + 2);
    int pool = loupe.searcher().settings().similarPool(SearchRequest.defaults().topK());
    long[] nanos = new long[SIMILAR_PROBES];
    int found = 0;
    try (Directory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir)) {
      for (int q = 0; q < SIMILAR_PROBES; q++) {
        int doc = random.nextInt(reader.maxDoc());
        LeafReaderContext leaf = reader.leaves().get(ReaderUtil.subIndex(doc, reader.leaves()));
        int local = doc - leaf.docBase;
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR_FIELD);
        KnnVectorValues.DocIndexIterator it = values.iterator();
        if (it.advance(local) != local) {
          throw new IOException("document " + doc + " has no descriptor");
        }
        float[] descriptor = values.vectorValue(it.index()).clone();
        String id = leaf.reader().storedFields().document(local, Set.of(ID_FIELD)).get(ID_FIELD);
        float[] query = ScaleBench.noisyDescriptor(random, descriptor);
        long t = System.nanoTime();
        List<Candidate> hits = loupe.index().nearest(query, pool, IndexFilter.NONE);
        nanos[q] = System.nanoTime() - t;
        if (!hits.isEmpty() && hits.getFirst().image().id().equals(id)) {
          found++;
        }
      }
    }
    Arrays.sort(nanos);
    System.out.printf("RESULT images=%d measure=similar_own_recall probes=%d similar_candidates=%d top1_is_source=%.3f "
            + "p50_ms=%.2f p99_ms=%.2f%n", n, SIMILAR_PROBES, pool, found / (double) SIMILAR_PROBES,
        ScaleBench.ms(nanos, 0.5), ScaleBench.ms(nanos, 0.99));
  }

  /**
   * How many postings the queries' visual words have in the index: the work of counting word votes.
   * Counted per segment as the searcher counts them: words in more than 2 % of a segment's images
   * are skipped (in segments of 500 images or more).
   */
  private static void printPostings(int n, Path indexDir, List<Prepared> prepared) throws IOException {
    long[] words = new long[prepared.size()];
    long[] seeks = new long[prepared.size()];
    long[] postings = new long[prepared.size()];
    long[] skipped = new long[prepared.size()];
    try (Directory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir)) {
      for (int i = 0; i < prepared.size(); i++) {
        int[] w = VisualWords.exact(prepared.get(i).analysis().signature().local()).words();
        words[i] = w.length;
        for (LeafReaderContext leaf : reader.leaves()) {
          int maxDoc = leaf.reader().maxDoc();
          double cutoff = maxDoc < 500 ? maxDoc : 0.02 * maxDoc;
          for (int word : w) {
            int df = leaf.reader().docFreq(new Term(WORD_FIELD, new BytesRef(VisualWords.termBytes(word))));
            seeks[i]++;
            if (df > cutoff) {
              skipped[i] += df;
            } else {
              postings[i] += df;
            }
          }
        }
      }
    }
    for (long[] a : List.of(words, seeks, postings, skipped)) {
      Arrays.sort(a);
    }
    System.out.printf("RESULT images=%d query_words_p50=%d term_seeks_p50=%d postings_per_query_p50=%d p90=%d "
            + "postings_skipped_as_too_frequent_p50=%d%n", n, words[words.length / 2], seeks[seeks.length / 2],
        postings[postings.length / 2], postings[Math.min(postings.length - 1, postings.length * 9 / 10)],
        skipped[skipped.length / 2]);
  }

  /** Disk bytes per image, in total and by the kind of Lucene file. */
  private static void printDisk(int n, long total, Path indexDir) throws IOException {
    System.out.printf("RESULT images=%d keypoints=on disk_bytes_per_image=%.0f%n", n, (double) total / n);
    if (indexDir == null) {
      return;
    }
    IndexDiskUse.byKind(indexDir).forEach((kind, bytes) ->
        System.out.printf("RESULT images=%d disk_part=%s bytes_per_image=%.0f%n", n, kind, (double) bytes / n));
    IndexDiskUse.byField(indexDir).forEach((field, use) ->
        System.out.printf("RESULT images=%d field=%s stored_bytes_per_image=%.1f postings_per_image=%.1f%n", n, field,
            (double) use[0] / n, (double) use[1] / n));
  }

  private static List<Real> analyse(ImageAnalyzer analyzer, List<Path> files) {
    long start = System.nanoTime();
    // Two threads at most: the machine this benchmark is written for has two cores.
    List<Real> out = IntStream.range(0, files.size()).parallel().mapToObj(i -> {
      Path file = files.get(i);
      try {
        ImageAnalyzer.Analysis a = analyse(analyzer, Files.readAllBytes(file), file, false);
        var image = a.image();
        return new Real(file, a.signature(), new ImageMetadata(image.format().wireName(), image.width(),
            image.height(), new byte[0]));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
    System.out.printf("analysed %d images of %s in %.1f s%n", files.size(),
        files.isEmpty() ? "(none)" : files.getFirst().getParent(), (System.nanoTime() - start) / 1e9);
    return out;
  }

  private static ImageAnalyzer.Analysis analyse(ImageAnalyzer analyzer, byte[] bytes, Path file, boolean query)
      throws IOException {
    try {
      return query ? analyzer.analyzeQuery(bytes) : analyzer.analyze(bytes);
    } catch (ImageRejected e) {
      throw new IOException("cannot analyse " + file + ": " + e.getMessage(), e);
    }
  }

  /** The collection for {@code n} images: the address's, suffixed {@code -N}. */
  private static SolrIndexAddress sized(SolrIndexAddress a, int n) {
    return new SolrIndexAddress(a.hosts(), a.zooKeeper(), a.chroot(), a.collection() + "-" + n, a.shards(), a.replicas(),
        a.timeout());
  }

  /**
   * Drops the page cache (all of the machine's: {@code /proc/sys/vm/drop_caches}, which needs root),
   * opens the index afresh and times each query once, in turn: the first searches after a restart,
   * every file read from disk until the pages the queries touch are cached again.
   */
  private static void coldPass(int n, Path data, IndexOpener opener, List<Prepared> prepared) throws IOException {
    Path drop = Path.of("/proc/sys/vm/drop_caches");
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      Files.writeString(drop, "3\n");
    } catch (IOException e) {
      throw new IOException("--cold needs to write " + drop + " (as root): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while syncing before --cold", e);
    }
    long t = System.nanoTime();
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data).withIndex(opener))) {
      double openMs = (System.nanoTime() - t) / 1e6;
      long[] nanos = new long[prepared.size()];
      SearchRequest request = SearchRequest.defaults();
      for (int i = 0; i < prepared.size(); i++) {
        t = System.nanoTime();
        loupe.search(prepared.get(i).analysis(), request);
        nanos[i] = System.nanoTime() - t;
      }
      long firstTen = 0;
      for (int i = 0; i < Math.min(10, nanos.length); i++) {
        firstTen += nanos[i];
      }
      Arrays.sort(nanos);
      System.out.printf("RESULT images=%d keypoints=on measure=search_cold queries=%d open_ms=%.0f first10_mean_ms=%.1f "
              + "p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", n, nanos.length, openMs,
          firstTen / 1e6 / Math.min(10, nanos.length), ScaleBench.ms(nanos, 0.5), ScaleBench.ms(nanos, 0.9),
          ScaleBench.ms(nanos, 0.99), ScaleBench.ms(nanos, 1.0));
    }
  }

  /** One query: the full search both ways, then its parts one by one. */
  private static Sample time(Loupe loupe, dev.loupe.search.ImageSearcher withoutRegions, Prepared p)
      throws IOException {
    Map<String, Long> nanos = new LinkedHashMap<>();
    SearchRequest request = SearchRequest.defaults();
    long t = System.nanoTime();
    List<SearchHit> hits = loupe.search(p.analysis(), request);
    nanos.put("search", System.nanoTime() - t);
    t = System.nanoTime();
    withoutRegions.search(loupe.queryOf(p.analysis()), request);
    nanos.put("search_without_region_pass", System.nanoTime() - t);
    t = System.nanoTime();
    try {
      loupe.search(p.bytes(), request);
    } catch (ImageRejected e) {
      throw new IOException(e.getMessage(), e);
    }
    nanos.put("analyse+search", System.nanoTime() - t);

    ImageIndex index = loupe.index();
    SearchSettings settings = loupe.searcher().settings();
    ImageSignature sig = p.analysis().signature();
    t = System.nanoTime();
    try {
      loupe.analyzer().analyzeQuery(p.bytes());
    } catch (ImageRejected e) {
      throw new IOException(e.getMessage(), e);
    }
    nanos.put("part:analyse_query", System.nanoTime() - t);
    t = System.nanoTime();
    if (sig.quality() >= settings.minCopyQuality()) {
      List<Hash256> hashes = sig.dihedral().isEmpty() ? List.of(sig.hash()) : sig.dihedral();
      index.withinDistance(hashes, settings.nearDuplicateDistance(), settings.minCopyQuality(), IndexFilter.NONE, 1000);
    }
    nanos.put("part:hash_tier", System.nanoTime() - t);
    LocalFeatures local = sig.local();
    t = System.nanoTime();
    index.sharingWords(VisualWords.exact(local), 1, IndexFilter.NONE);
    nanos.put("part:word_votes", System.nanoTime() - t);
    t = System.nanoTime();
    index.sharingWords(VisualWords.probed(local), 1, IndexFilter.NONE);
    nanos.put("part:word_votes_probed", System.nanoTime() - t);
    t = System.nanoTime();
    List<KeypointCandidate> candidates =
        index.sharingWords(VisualWords.exact(local), settings.keypointCandidates(), IndexFilter.NONE);
    nanos.put("part:word_votes+load_candidates", System.nanoTime() - t);
    GeometricVerifier verifier = new GeometricVerifier(settings.minInliers());
    t = System.nanoTime();
    for (KeypointCandidate c : candidates) {
      verifier.verify(local, c.image().signature().local());
    }
    nanos.put("part:verify_candidates", System.nanoTime() - t);
    t = System.nanoTime();
    p.analysis().mirroredKeypoints();
    nanos.put("part:mirrored_keypoints", System.nanoTime() - t);
    t = System.nanoTime();
    index.nearest(sig.descriptor(), settings.similarPool(request.topK()), IndexFilter.NONE);
    nanos.put("part:similar_tier", System.nanoTime() - t);

    // A negative has no original: it is never top 1, and every copy it claims is another image.
    boolean top1 = p.expectedId() != null && !hits.isEmpty() && hits.getFirst().id().equals(p.expectedId());
    boolean copy = hits.stream().anyMatch(h -> h.match().isCopy());
    int others = (int) hits.stream().filter(h -> h.match().isCopy() && !h.id().equals(p.expectedId())).count();
    return new Sample(p.query().edit(), nanos, top1, copy, others);
  }

  private static void report(int n, List<String> edits, List<Sample> samples) {
    List<String> groups = new ArrayList<>(edits);
    groups.add("all");
    for (String measure : List.of("search", "search_without_region_pass", "analyse+search")) {
      for (String group : groups) {
        List<Sample> in = samples.stream().filter(s -> group.equals("all") || s.edit().equals(group)).toList();
        if (in.isEmpty()) {
          continue;
        }
        long[] sorted = in.stream().mapToLong(s -> s.nanos().get(measure)).sorted().toArray();
        System.out.printf("RESULT images=%d keypoints=on measure=%s edit=%s queries=%d p50_ms=%.1f p90_ms=%.1f "
                + "p99_ms=%.1f max_ms=%.1f top1_is_original=%.3f no_copy_claimed=%.3f other_copies_per_query=%.2f%n",
            n, measure, group, in.size(), ScaleBench.ms(sorted, 0.5), ScaleBench.ms(sorted, 0.9),
            ScaleBench.ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
            in.stream().filter(Sample::top1).count() / (double) in.size(),
            in.stream().filter(s -> !s.copyClaimed()).count() / (double) in.size(),
            in.stream().mapToInt(Sample::otherCopies).sum() / (double) in.size());
      }
    }
    for (String part : samples.getFirst().nanos().keySet()) {
      if (!part.startsWith("part:")) {
        continue;
      }
      long[] sorted = samples.stream().mapToLong(s -> s.nanos().get(part)).sorted().toArray();
      System.out.printf("RESULT images=%d %s p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f%n", n, part.replace(':', '='),
          ScaleBench.ms(sorted, 0.5), ScaleBench.ms(sorted, 0.9), ScaleBench.ms(sorted, 0.99));
    }
    System.out.println("(no_copy_claimed: queries that also paid for the mirrored keypoints and a second word"
        + " lookup and verification; other_copies_per_query: hits in the top 10 claimed as copies that are not"
        + " the query's original)");
  }
}
