package dev.loupe.search;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.index.Candidate;
import dev.loupe.index.EmbeddingIndex;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.KeypointCandidate;
import dev.loupe.index.Occurrence;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.keypoints.Alignment;
import dev.loupe.keypoints.PixelAgreement;
import dev.loupe.keypoints.GeometricVerifier;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import dev.loupe.features.WordLookup;
import java.util.Optional;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a search over an {@link ImageIndex} in tiers and merges the tiers into one ranked list.
 *
 * <ol>
 *   <li><b>exact</b>: an image with the query's pixel key;
 *   <li><b>near_duplicate</b> by hash: images whose hash is within {@link SearchSettings#nearDuplicateDistance()}
 *       of one of the query's 8 dihedral hashes, when both hashes have enough quality to be trusted;
 *   <li><b>near_duplicate</b> or <b>partial</b> by keypoints: the images sharing the most visual
 *       words with the query ({@link SearchSettings#keypointCandidates()}) are verified geometrically
 *       ({@link GeometricVerifier}); a verified image is a near-duplicate when the query shows at
 *       least {@link #WHOLE_PICTURE} of it and it fills at least {@link #MIN_FILL} of the query
 *       (the whole picture, perhaps rotated, framed or captioned), else partial (one is a region of
 *       the other). When nothing verifies, the mirrored query's keypoints are tried;
 *   <li><b>regions</b>: when the whole query found no copy, the query at half scale, then the
 *       picture inside a flat frame ({@link FramedPicture}), then each of its quadrants are
 *       searched as queries of their own ({@link RegionPass}): a small crop, a picture inside a
 *       screenshot, a collage tile;
 *   <li><b>similar</b>: images alike in kind and look ({@link LikenessTier}), above a calibrated
 *       floor, that are not copies: the copy tiers run whenever similar images are wanted, and a
 *       copy is never returned as similar.
 * </ol>
 *
 * Copies found by hash are also aligned by keypoints when both sides have them, so that every
 * verified copy says how it differs from the query ({@link Differences}). Copy claims on simple
 * pictures (flags, icons, clip art) must also pass {@link SimplePictureCheck}'s colour and distance
 * rule, or are shown as similar.
 *
 * <p>Scores: exact 1; copies 0.75 to 0.99, from the hash distance or from the inlier count,
 * whichever says more; similar images below 0.75. Each image appears once, under its strongest
 * kind. Thread-safe.
 */
public final class ImageSearcher {
  /** Copies beyond this many are not ranked (a query with more distinct copies is pathological). */
  private static final int MAX_COPY_CANDIDATES = 1000;
  /** Hash copies aligned by keypoints for their differences, at most (about 1 ms each). */
  private static final int MAX_ALIGNED_HASH_COPIES = 10;
  /**
   * The wider word lookups (words one bit away, the mirrored picture) run only when the first found
   * nothing, and verify this many times as many candidates: a small crop or a screenshot shares
   * few words with its original, and ranks lower among images that share words by chance.
   */
  static final int PROBED_CANDIDATES = 2;
  /** Candidates a quadrant's search verifies by keypoints. */
  static final int QUADRANT_CANDIDATES = 5;
  /** Copies kept from each region's search: the half-scale query's and each quadrant's ({@link RegionPass}). */
  private static final int REGION_HITS = 3;
  private static final double NEAR_DUPLICATE_FLOOR = 0.75;
  /**
   * Claims a grey query cannot tell apart ({@link #keepOneSource}) are shown as similar with scores
   * from this share of the copy floor up to it, in the order of their evidence.
   */
  private static final double AMBIGUOUS_FLOOR = 0.99;
  /** Ratio of query coverages from which two copy claims are of about the same extent. */
  private static final double SAME_EXTENT_SHARE = 0.6;
  /** Near-duplicates score at most 0.99, so that 1 always means the same pixels. */
  private static final double NEAR_DUPLICATE_SPAN = 0.24;
  /** Inliers beyond the threshold at which a keypoint copy's score is 1 - 1/e of its span. */
  private static final double INLIER_SCALE = 40;
  /**
   * Alignments with this many inliers are copies without the pixel check. On the dev set, chance
   * alignments of a shared caption, logo or window frame had 12 to 56 inliers, while copies under a
   * caption band and a logo, which cover a third of the pixels, can fail the pixel check. An
   * alignment whose inliers are concentrated ({@link Alignment#concentrated}: one line of words) is
   * checked whatever its inliers. Two different pictures under the same caption text at the top and
   * at the bottom pass this way: a known limit (docs/local-features.md).
   */
  static final int STRONG_INLIERS = 80;
  /** A keypoint copy whose query shows at least this share of it is the whole picture. */
  public static final double WHOLE_PICTURE = 0.8;
  /** ... and which fills at least this share of the query (the rest is frame, border, caption). */
  public static final double MIN_FILL = 0.5;

  /** Decodes stored thumbnails (JPEG the index wrote itself). */
  private static final ImageLoader THUMBNAILS = new ImageLoader(ImageLimits.defaults());

  private final ImageIndex index;
  private final SearchSettings settings;
  private final GeometricVerifier verifier;
  private final LikenessTier likeness;
  /** Neural embeddings for the similar tier ({@link EmbeddingQuery}); null without a model. */
  private final EmbeddingIndex embeddings;
  private final RegionPass regionPass = new RegionPass();
  /**
   * Searches the quadrants: without a region pass of its own, verifying only
   * {@value #QUADRANT_CANDIDATES} candidates (a collage tile ranks first among them when it is found
   * at all); null when the region pass is off.
   */
  private final ImageSearcher quadrants;

  public ImageSearcher(ImageIndex index, SearchSettings settings) {
    this(index, settings, null);
  }

  /** A searcher whose similar tier can use the neural {@code embeddings} (may be null). */
  public ImageSearcher(ImageIndex index, SearchSettings settings, EmbeddingIndex embeddings) {
    this.index = Objects.requireNonNull(index, "index");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.verifier = new GeometricVerifier(settings.minInliers());
    this.likeness = new LikenessTier(index);
    this.embeddings = embeddings;
    this.quadrants = settings.regionPass()
        ? new ImageSearcher(index, settings.withRegionPass(false)
            .withKeypointCandidates(Math.min(QUADRANT_CANDIDATES, settings.keypointCandidates())), null)
        : null;
  }

  public ImageSearcher(ImageIndex index) {
    this(index, SearchSettings.defaults());
  }

  public SearchSettings settings() {
    return settings;
  }

  /**
   * Searches with a bare signature; keypoint alignment cannot report a copy's scale without the
   * query's size, so it is taken from the keypoint frame.
   */
  public List<SearchHit> search(ImageSignature query, SearchRequest request) throws IOException {
    return search(query, List.of(), request);
  }

  /** As {@link #search(SearchQuery, SearchRequest)}, with the rotated descriptors given and no mirrored keypoints. */
  public List<SearchHit> search(ImageSignature query, List<float[]> dihedralDescriptors, SearchRequest request)
      throws IOException {
    LocalFeatures local = query.local();
    return search(new SearchQuery(query, local.frameWidth(), local.frameHeight(), dihedralDescriptors,
        () -> LocalFeatures.EMPTY, null), request);
  }

  /** Searches for images like the query; hits are numbered from 1 in their final order. */
  public List<SearchHit> search(SearchQuery q, SearchRequest request) throws IOException {
    return search(q, null, request);
  }

  /**
   * Searches with a query image, a text, or both. With {@code neural}, the similar tier comes from
   * the neural embeddings ({@link EmbeddingQuery}: image, text or hybrid) instead of the classical
   * descriptor; the copy tiers still need the query image. {@code q} may be null for a text-only
   * query, which returns only similar images.
   *
   * @throws IllegalStateException if {@code neural} is given but this searcher has no embeddings
   */
  public List<SearchHit> search(SearchQuery q, EmbeddingQuery neural, SearchRequest request) throws IOException {
    return search(q, neural, request, Pass.WHOLE, null);
  }

  /** Which look at a query a search is: the query itself, or one of the region pass's. */
  private enum Pass {
    /** The query as given: every tier, then the region pass if the settings allow it. */
    WHOLE,
    /** The query at half its size: the copy tiers with the probed vote, no further region pass. */
    HALF_SCALE,
    /** The picture in a flat frame ({@link FramedPicture}): like half scale, one search with the probed vote. */
    FRAMED,
    /** One quadrant: the copy tiers with its own words only. */
    QUADRANT
  }

  /**
   * The search; {@code pass} says which look at the query it is (the region pass runs only after
   * the whole query's, the probed vote not in a quadrant's), and {@code verified}, when not null,
   * receives the keypoint alignment of every copy verified by keypoints.
   */
  private List<SearchHit> search(SearchQuery q, EmbeddingQuery neural, SearchRequest request, Pass pass,
      Map<String, KeypointMatch> verified) throws IOException {
    if (neural != null && embeddings == null) {
      throw new IllegalStateException("this searcher has no embedding index");
    }
    IndexFilter filter = new IndexFilter(request.domains());
    Map<String, Ranked> byId = new LinkedHashMap<>();
    if (q == null) {
      if (neural == null) {
        throw new IllegalArgumentException("a search needs a query image or an embedding query");
      }
      if (request.wants(MatchKind.SIMILAR)) {
        addEmbeddingSimilar(null, neural, request, filter, byId);
      }
      return rank(byId, request, filter);
    }
    ImageSignature query = q.signature();
    SimplePictureCheck check = new SimplePictureCheck(index, q);
    Map<String, KeypointMatch> keypointMatches = new LinkedHashMap<>();

    // Copies are looked for whenever similar images are wanted too, so that they can be left out
    // of the similar tier rather than relabelled as similar.
    boolean copies = request.wants(MatchKind.NEAR_DUPLICATE) || request.wants(MatchKind.PARTIAL)
        || request.wants(MatchKind.SIMILAR);
    if (copies || request.wants(MatchKind.EXACT)) {
      index.imageByPixelKey(query.pixelKey())
          .filter(image -> onDomains(image, filter))
          .ifPresent(image -> byId.put(image.id(), new Ranked(image, MatchKind.EXACT, 1.0, 0)));
    }
    Map<String, Integer> hashVariant = new LinkedHashMap<>();
    if (copies && query.quality() >= settings.minCopyQuality()) {
      List<Hash256> hashes = query.dihedral().isEmpty() ? List.of(query.hash()) : query.dihedral();
      int radius = settings.nearDuplicateDistance();
      for (Candidate c : index.withinDistance(hashes, radius, settings.minCopyQuality(), filter, MAX_COPY_CANDIDATES)) {
        double score = NEAR_DUPLICATE_FLOOR + NEAR_DUPLICATE_SPAN * (1 - c.hashDistance() / (radius + 1.0));
        if (byId.putIfAbsent(c.image().id(), new Ranked(c.image(), MatchKind.NEAR_DUPLICATE, score, c.hashDistance())) == null) {
          hashVariant.put(c.image().id(), c.variant());
        }
      }
    }
    if (copies && settings.keypointCandidates() > 0 && !query.local().isEmpty()) {
      QueryPixels pixels = new QueryPixels(q);
      // Each keypoint's own word first; only when that verifies nothing and no hash copy was found,
      // the words one bit away too (twenty times the lookups), then the mirrored picture's.
      int candidates = settings.keypointCandidates();
      boolean found = matchKeypoints(q, pixels, query.local(), VisualWords.exact(query.local()), candidates, false,
          filter, byId, check, keypointMatches);
      // A quadrant keeps to its own words: four more probed votes would cost several times the
      // whole query's. The half-scale query probes: a small crop's keypoints share few exact words
      // with the picture's stored ones (docs/benchmarks.md, "Where the misses are lost").
      if (!found && byId.isEmpty() && pass != Pass.QUADRANT) {
        found = matchKeypoints(q, pixels, query.local(), VisualWords.probed(query.local()),
            PROBED_CANDIDATES * candidates, false, filter, byId, check, keypointMatches);
      }
      if (!found && byId.isEmpty()) {
        LocalFeatures mirrored = q.mirroredKeypoints().get();
        if (!mirrored.isEmpty()) {
          matchKeypoints(q, pixels, mirrored, VisualWords.probed(mirrored), PROBED_CANDIDATES * candidates, true,
              filter, byId, check, keypointMatches);
        }
      }
      alignHashCopies(q, hashVariant, byId, check);
    }
    demoteUnverifiedCopies(q, check, hashVariant, keypointMatches, byId);
    keepOneSource(q, check, byId);
    if (verified != null) {
      verified.putAll(keypointMatches);
    }
    if (copies && pass == Pass.WHOLE && settings.regionPass() && q.pixels() != null
        && byId.values().stream().noneMatch(r -> r.kind.isCopy())) {
      addRegionCopies(q, request, byId);
    }
    if (request.wants(MatchKind.SIMILAR) && neural != null) {
      addEmbeddingSimilar(query, neural, request, filter, byId);
    }
    if (request.wants(MatchKind.SIMILAR) && neural == null) {
      int k = settings.similarPool(request.topK());
      List<float[]> dihedral = wantsDihedralDescriptors(query) ? q.dihedralDescriptors() : List.of();
      for (LikenessTier.Alike a : likeness.find(query, dihedral, k, filter)) {
        // Copies found above keep their kind: a copy is never relabelled as similar.
        if (!byId.containsKey(a.image().id())) {
          int distance = a.image().signature().hash().distance(query.hash());
          byId.put(a.image().id(), new Ranked(a.image(), MatchKind.SIMILAR, a.score(), distance));
        }
      }
    }
    return rank(byId, request, filter);
  }

  /**
   * The region pass ({@link RegionPass}), when the whole query found no copy: the query at half
   * scale (a small crop of a picture); if that finds nothing, the picture in a frame of one
   * brightness if there is one ({@link FramedPicture}: a screenshot's picture); if there is none or
   * it finds nothing, each quadrant (a collage tile). A box claims only a copy it holds whole
   * ({@link RegionPass#holdsWhole}).
   */
  private void addRegionCopies(SearchQuery q, SearchRequest request, Map<String, Ranked> byId) throws IOException {
    var kinds = java.util.EnumSet.of(MatchKind.EXACT, MatchKind.NEAR_DUPLICATE, MatchKind.PARTIAL);
    var copiesOnly = new SearchRequest(REGION_HITS, kinds, request.domains(), SortOrder.RELEVANCE);
    boolean withKeypoints = settings.keypointCandidates() > 0 && !q.signature().local().isEmpty();
    if (withKeypoints && RegionPass.halvable(q)) {
      boolean found = false;
      for (SearchHit hit : search(regionPass.halfScaleQuery(q, withKeypoints), null, copiesOnly, Pass.HALF_SCALE, null)) {
        byId.put(hit.id(), new Ranked(hit.image(), hit.match(), hit.score(), hit.hashDistance(), hit.differences()));
        found = true;
      }
      if (found) {
        return;
      }
    }
    // A picture in a frame of one brightness (a screenshot's page around it) is searched whole first; if
    // it is found, its quadrants would only cut it up again.
    Optional<RegionPass.Box> framed = FramedPicture.find(q.pixels());
    if (framed.isPresent() && addTileCopies(q, framed.get(), withKeypoints, copiesOnly, this, Pass.FRAMED, byId)) {
      return;
    }
    for (RegionPass.Box box : RegionPass.tiles(q.pixels())) {
      addTileCopies(q, box, withKeypoints, copiesOnly, quadrants, Pass.QUADRANT, byId);
    }
  }

  /**
   * Searches the box {@code box} of the query's pixels (a quadrant, or a framed picture) on its own,
   * with {@code searcher} as {@code pass}, and adds the pictures it holds whole as partial matches
   * placed in the query; whether it added one. The framed picture is one search, so it gets this
   * searcher's candidates and probed vote; the four quadrants get the quadrant searcher's fewer
   * candidates and their own words only.
   */
  private boolean addTileCopies(SearchQuery q, RegionPass.Box box, boolean withKeypoints, SearchRequest copiesOnly,
      ImageSearcher searcher, Pass pass, Map<String, Ranked> byId) throws IOException {
    SearchQuery part = regionPass.regionQuery(q, box, withKeypoints);
    Map<String, KeypointMatch> aligned = new LinkedHashMap<>();
    boolean added = false;
    for (SearchHit hit : searcher.search(part, null, copiesOnly, pass, aligned)) {
      // A box claims only a picture it holds whole (a collage tile, the picture of a screenshot):
      // found by the box's hash, or aligned by keypoints over nearly all of the picture and filling
      // most of the box. A quadrant that is mostly a caption band or a window frame aligns with
      // other pictures' bands over a small part of them, and those claims are left out.
      if (aligned.containsKey(hit.id()) && !RegionPass.holdsWhole(hit.differences())) {
        continue;
      }
      Ranked known = byId.get(hit.id());
      if (known == null || !known.kind.isCopy()) {
        byId.put(hit.id(), new Ranked(hit.image(), MatchKind.PARTIAL, hit.score(), hit.hashDistance(),
            RegionPass.placedInQuery(hit, q, box)));
        added = true;
      }
    }
    return added;
  }

  /** The similar tier from neural embeddings: images that are not already copies, above the floor. */
  private void addEmbeddingSimilar(ImageSignature query, EmbeddingQuery neural, SearchRequest request,
      IndexFilter filter, Map<String, Ranked> byId) throws IOException {
    int k = settings.similarPool(request.topK()) * (filter.isEmpty() ? 1 : 4);
    for (EmbeddingTier.Scored s : EmbeddingTier.similar(embeddings, neural, k)) {
      if (byId.containsKey(s.id())) {
        continue;
      }
      Optional<IndexedImage> image = index.image(s.id());
      if (image.isEmpty() || !onDomains(image.get(), filter)) {
        continue; // deleted since it was embedded, or not on the asked domains
      }
      int distance = query == null ? Hash256.BITS : image.get().signature().hash().distance(query.hash());
      if (query != null && (image.get().signature().pixelKey().equals(query.pixelKey())
          || (query.quality() >= settings.minCopyQuality() && distance <= settings.nearDuplicateDistance()))) {
        continue; // a copy is never relabelled as similar, even when only similar images were asked for
      }
      byId.put(s.id(), new Ranked(image.get(), MatchKind.SIMILAR, NEAR_DUPLICATE_FLOOR * Math.min(1, s.score()),
          distance));
    }
  }

  private List<SearchHit> rank(Map<String, Ranked> byId, SearchRequest request, IndexFilter filter) {
    List<Ranked> ranked = new ArrayList<>();
    for (Ranked r : byId.values()) {
      if (request.wants(r.kind)) {
        ranked.add(r);
      }
    }
    ranked.sort(comparator(request.sort()));
    List<SearchHit> hits = new ArrayList<>();
    for (Ranked r : ranked.subList(0, Math.min(request.topK(), ranked.size()))) {
      hits.add(r.toHit(hits.size() + 1, filter));
    }
    return hits;
  }

  /** Verifies the images sharing the most visual words; true if one was verified. */
  private boolean matchKeypoints(SearchQuery q, QueryPixels pixels, LocalFeatures local, WordLookup words,
      int candidates, boolean mirrored, IndexFilter filter, Map<String, Ranked> byId, SimplePictureCheck check,
      Map<String, KeypointMatch> keypointMatches) throws IOException {
    boolean found = false;
    for (KeypointCandidate c : index.sharingWords(words, candidates, filter)) {
      Ranked known = byId.get(c.image().id());
      if (known != null && known.kind == MatchKind.EXACT) {
        continue;
      }
      Optional<Alignment> aligned = verifier.verify(local, c.image().signature().local());
      if (aligned.isEmpty()) {
        continue;
      }
      Alignment a = aligned.get();
      if ((a.inliers() < STRONG_INLIERS || a.concentrated()) && !agreesInPixels(pixels, c, a, mirrored)) {
        continue;
      }
      found = true;
      keypointMatches.put(c.image().id(), new KeypointMatch(c.image(), a, mirrored));
      Differences differences = differences(q, c.image(), c.image().signature().local(), a, mirrored,
          check.recoloured(c.image(), c.image().signature().local(), a, mirrored));
      double score = NEAR_DUPLICATE_FLOOR + NEAR_DUPLICATE_SPAN
          * (1 - Math.exp(-(a.inliers() - settings.minInliers() + 1) / INLIER_SCALE));
      if (known != null && known.kind == MatchKind.NEAR_DUPLICATE) {
        byId.put(c.image().id(), new Ranked(known.image, known.kind, Math.max(known.score, score), known.distance,
            differences));
      } else {
        MatchKind kind = a.hitCoverage() >= WHOLE_PICTURE && a.queryCoverage() >= MIN_FILL
            ? MatchKind.NEAR_DUPLICATE : MatchKind.PARTIAL;
        int distance = c.image().signature().hash().distance(q.signature().hash());
        byId.put(c.image().id(), new Ranked(c.image(), kind, score, distance, differences));
      }
    }
    return found;
  }

  /**
   * Whether the pictures agree over their shared region, not only at the keypoints (see
   * {@link PixelAgreement}); true when the query has no pixels or the check cannot decide. When the
   * inliers lie in a thin strip or a small patch ({@link Alignment#concentrated}: a line of words in
   * the same font, whatever their number), the pixels must agree away from them, and a check that
   * cannot decide there refuses: nothing but that strip supports the match.
   */
  private boolean agreesInPixels(QueryPixels q, KeypointCandidate c, Alignment a, boolean mirrored) throws IOException {
    if (q.query.pixels() == null) {
      return true;
    }
    Optional<byte[]> thumbnail = index.thumbnail(c.image().id());
    if (thumbnail.isEmpty() || thumbnail.get().length == 0) {
      return true;
    }
    DecodedImage hit;
    try {
      hit = THUMBNAILS.decode(thumbnail.get());
    } catch (ImageRejected e) {
      return true;
    }
    LocalFeatures hitFrame = c.image().signature().local();
    if (a.concentrated()) {
      double away = PixelAgreement.agreementAway(q.prepared(), hit, hitFrame, a, mirrored);
      return away >= PixelAgreement.MIN_AGREEMENT;
    }
    double agreement = PixelAgreement.agreement(q.prepared(), hit, hitFrame, a.transform(), mirrored);
    return Double.isNaN(agreement) || agreement >= PixelAgreement.MIN_AGREEMENT;
  }

  /** The query's pixels prepared for the pixel check once per search, on first use. */
  private static final class QueryPixels {
    final SearchQuery query;
    private PixelAgreement.Prepared prepared;

    QueryPixels(SearchQuery query) {
      this.query = query;
    }

    PixelAgreement.Prepared prepared() {
      if (prepared == null) {
        prepared = PixelAgreement.prepare(query.pixels());
      }
      return prepared;
    }
  }

  /** Gives hash copies that keypoint matching did not reach their differences, when they align. */
  private void alignHashCopies(SearchQuery q, Map<String, Integer> hashVariant, Map<String, Ranked> byId,
      SimplePictureCheck check) throws IOException {
    LocalFeatures mirrored = null;
    int aligned = 0;
    for (Map.Entry<String, Integer> e : hashVariant.entrySet()) {
      Ranked known = byId.get(e.getKey());
      if (known == null || known.differences != null || aligned >= MAX_ALIGNED_HASH_COPIES) {
        continue;
      }
      aligned++;
      Optional<LocalFeatures> stored = index.localFeatures(e.getKey());
      if (stored.isEmpty() || stored.get().isEmpty()) {
        continue;
      }
      // Variants 4 to 7 of the dihedral group are the mirrored ones.
      boolean mirror = e.getValue() >= 4;
      LocalFeatures local = q.signature().local();
      if (mirror) {
        if (mirrored == null) {
          mirrored = q.mirroredKeypoints().get();
        }
        local = mirrored;
      }
      Optional<Alignment> a = verifier.verify(local, stored.get());
      if (a.isPresent()) {
        byId.put(e.getKey(), new Ranked(known.image, known.kind, known.score, known.distance,
            differences(q, known.image, stored.get(), a.get(), mirror,
                check.recoloured(known.image, stored.get(), a.get(), mirror))));
      }
    }
  }

  private static Differences differences(
      SearchQuery q, IndexedImage hit, LocalFeatures hitFrame, Alignment a, boolean mirrored, boolean recoloured) {
    LocalFeatures queryFrame = q.signature().local();
    // Frame scale (hit frame pixels per query frame pixel) to full-size pixels.
    double queryPixelsPerFrame = (double) q.width() / queryFrame.frameWidth();
    double hitPixelsPerFrame = hitFrame.isEmpty() ? 1 : (double) hit.width() / hitFrame.frameWidth();
    double scale = a.frameScale() * hitPixelsPerFrame / queryPixelsPerFrame;
    if (!(scale > 0) || Double.isInfinite(scale)) {
      scale = 1;
    }
    double rotation = a.rotation() <= -180 ? a.rotation() + 360 : a.rotation();
    Differences.Region region = null;
    if (a.queryCoverage() < Differences.CROP_COVERAGE) {
      // The hit's frame in the query frame, to the query's pixels; a mirrored match was verified
      // against the mirrored query, so its box is mirrored back.
      double[] box = a.hitInQuery();
      double left = mirrored ? queryFrame.frameWidth() - box[2] : box[0];
      double right = mirrored ? queryFrame.frameWidth() - box[0] : box[2];
      double queryPixelsDown = (double) q.height() / queryFrame.frameHeight();
      int x = (int) Math.clamp(Math.round(left * queryPixelsPerFrame), 0, q.width() - 1);
      int y = (int) Math.clamp(Math.round(box[1] * queryPixelsDown), 0, q.height() - 1);
      int w = (int) Math.clamp(Math.round((right - left) * queryPixelsPerFrame), 1, q.width() - x);
      int h = (int) Math.clamp(Math.round((box[3] - box[1]) * queryPixelsDown), 1, q.height() - y);
      region = new Differences.Region(x, y, w, h);
    }
    return new Differences(a.hitCoverage(), a.queryCoverage(), scale, rotation, mirrored, recoloured,
        a.perspective(), region);
  }

  /** A copy verified by keypoints, kept for the simple-picture check. */
  private record KeypointMatch(IndexedImage image, Alignment alignment, boolean mirrored) {}

  /**
   * Shows as {@code similar} the copies of simple pictures whose evidence does not stand
   * ({@link SimplePictureCheck}): a copy stands when its hash match or its keypoint match does.
   */
  private static void demoteUnverifiedCopies(SearchQuery q, SimplePictureCheck check, Map<String, Integer> hashVariant,
      Map<String, KeypointMatch> keypointMatches, Map<String, Ranked> byId) throws IOException {
    for (Map.Entry<String, Ranked> e : byId.entrySet()) {
      Ranked r = e.getValue();
      if (r.kind == MatchKind.EXACT || !r.kind.isCopy()) {
        continue;
      }
      Integer variant = hashVariant.get(e.getKey());
      KeypointMatch kp = keypointMatches.get(e.getKey());
      boolean stands = (variant != null && check.keepsHashCopy(r.image, variant, r.distance))
          || (kp != null && check.keepsKeypointCopy(kp.image(), kp.alignment(), kp.mirrored()));
      if (!stands) {
        e.setValue(asSimilar(q, r));
      }
    }
  }

  /**
   * A query is a copy of one picture. When the best copy claim is on a simple or low-detail pair
   * ({@link SimplePictureCheck#strict}), the other claims on such pairs stand only for pictures
   * that may be copies of the best one ({@link SimplePictureCheck#maySharePicture}: the same flag
   * twice, at another size or in grey, or a crop of it, compared with the part of it the query
   * shows it in: {@link #partOfBest}); a tricolour claimed beside the tricolour the query was
   * cut from is shown as {@code similar}. When the query is grey or of one tint, the best claim is
   * a picture in colour and such different pictures were claimed too, the query's light and dark
   * fit each of them and nothing tells which one it was made from: no claim stands but an exact
   * one, and the claims are shown first among the similar images, in their order. Photographs with
   * detail keep every claim (a collage holds several pictures).
   */
  private static void keepOneSource(SearchQuery q, SimplePictureCheck check, Map<String, Ranked> byId)
      throws IOException {
    Ranked best = null;
    int claims = 0;
    for (Ranked r : byId.values()) {
      if (r.kind.isCopy()) {
        claims++;
        if (best == null || RELEVANCE.compare(r, best) < 0) {
          best = r;
        }
      }
    }
    if (claims < 2 || !check.strict(best.image)) {
      return;
    }
    List<String> others = new ArrayList<>();
    for (Map.Entry<String, Ranked> e : byId.entrySet()) {
      Ranked r = e.getValue();
      if (r == best || !r.kind.isCopy() || r.kind == MatchKind.EXACT || !check.strict(r.image)) {
        continue;
      }
      double[] part = partOfBest(q, best, r);
      boolean different = part != null ? !check.maySharePicture(best.image, r.image, part)
          : sameExtent(best, r) && !check.maySharePicture(best.image, r.image, WHOLE);
      if (different) {
        others.add(e.getKey());
      }
    }
    if (others.isEmpty()) {
      return;
    }
    if (best.kind != MatchKind.EXACT && check.monotoneQuery() && check.colourful(best.image)) {
      for (Map.Entry<String, Ranked> e : byId.entrySet()) {
        Ranked r = e.getValue();
        if (r.kind.isCopy() && r.kind != MatchKind.EXACT) {
          // First among the similar images, in the order of their evidence: each fits the query
          // as a copy would, only not one alone.
          e.setValue(new Ranked(r.image, MatchKind.SIMILAR,
              NEAR_DUPLICATE_FLOOR * (AMBIGUOUS_FLOOR + (1 - AMBIGUOUS_FLOOR) * r.score), r.distance));
        }
      }
      return;
    }
    for (String id : others) {
      byId.put(id, asSimilar(q, byId.get(id)));
    }
  }

  /** The whole of a picture, as {@code {left, top, right, bottom}} shares of its sides. */
  private static final double[] WHOLE = {0, 0, 1, 1};

  /**
   * Where claim {@code r} lies in the best claim's picture, as shares of its sides, when the query
   * shows it in a part ({@link Differences#region}) and the best picture is the whole query,
   * upright and unmirrored (so that a box of the query is the same box of it); null otherwise.
   */
  private static double[] partOfBest(SearchQuery q, Ranked best, Ranked r) {
    Differences.Region box = r.differences == null ? null : r.differences.region();
    Differences b = best.differences;
    if (box == null || (b != null && (b.extended() || b.cropped() || b.mirrored() || Math.abs(b.rotation()) > 2))) {
      return null;
    }
    return new double[] {(double) box.x() / q.width(), (double) box.y() / q.height(),
        (double) (box.x() + box.width()) / q.width(), (double) (box.y() + box.height()) / q.height()};
  }

  /**
   * Whether two claims are pictures of about the same extent in the query: the one filling less of
   * the query fills at least {@link #SAME_EXTENT_SHARE} of what the other fills (a claim without an
   * alignment fills all of it). Without a region to compare ({@link #partOfBest}), only those are
   * compared whole by {@link SimplePictureCheck#maySharePicture}.
   */
  private static boolean sameExtent(Ranked a, Ranked b) {
    double qa = a.differences == null ? 1 : a.differences.queryCoverage();
    double qb = b.differences == null ? 1 : b.differences.queryCoverage();
    return Math.min(qa, qb) >= SAME_EXTENT_SHARE * Math.max(qa, qb);
  }

  /** A copy claim that does not stand, shown as similar by its descriptors' likeness. */
  private static Ranked asSimilar(SearchQuery q, Ranked r) {
    double cosine = dot(q.signature().descriptor(), r.image.signature().descriptor());
    return new Ranked(r.image, MatchKind.SIMILAR, NEAR_DUPLICATE_FLOOR * Math.max(0, cosine), r.distance);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Whether the rotated and mirrored descriptors would be used for this query. */
  public boolean wantsDihedralDescriptors(ImageSignature query) {
    return query.quality() < settings.minCopyQuality();
  }

  private static boolean onDomains(IndexedImage image, IndexFilter filter) {
    return filter.isEmpty() || image.occurrences().stream().anyMatch(o -> filter.domains().contains(o.domain()));
  }

  /** Copies first (exact, near-duplicate, partial), then by score, then by id. */
  private static final Comparator<Ranked> RELEVANCE = Comparator.<Ranked>comparingInt(r -> r.kind.ordinal())
      .thenComparing(Comparator.<Ranked>comparingDouble(r -> r.score).reversed())
      .thenComparing(r -> r.image.id());

  private static Comparator<Ranked> comparator(SortOrder order) {
    return switch (order) {
      case RELEVANCE -> RELEVANCE;
      case OLDEST -> Comparator.<Ranked, java.time.Instant>comparing(r -> r.image.firstSeen()).thenComparing(RELEVANCE);
      case NEWEST -> Comparator.<Ranked, java.time.Instant>comparing(r -> r.image.firstSeen()).reversed().thenComparing(RELEVANCE);
      case LARGEST -> Comparator.<Ranked>comparingLong(r -> r.image.pixels()).reversed().thenComparing(RELEVANCE);
      case MOST_CHANGED -> Comparator.<Ranked>comparingDouble(
              r -> r.differences == null ? Double.NEGATIVE_INFINITY : r.differences.amount())
          .reversed().thenComparing(RELEVANCE);
    };
  }

  private record Ranked(IndexedImage image, MatchKind kind, double score, int distance, Differences differences) {
    Ranked(IndexedImage image, MatchKind kind, double score, int distance) {
      this(image, kind, score, distance, null);
    }

    SearchHit toHit(int rank, IndexFilter filter) {
      Occurrence shown = image.occurrences().stream()
          .filter(o -> filter.isEmpty() || filter.domains().contains(o.domain()))
          .findFirst()
          .orElse(image.earliest());
      double rounded = Math.round(score * 10_000) / 10_000.0;
      return new SearchHit(rank, image.id(), shown.title(), shown.url(), shown.pageUrl(), rounded, kind,
          image.firstSeen(), image.width(), image.height(), shown.source(), distance, image, differences);
    }
  }
}
