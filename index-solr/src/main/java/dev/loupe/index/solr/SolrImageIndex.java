package dev.loupe.index.solr;

import static dev.loupe.index.solr.SolrDocuments.F_CHUNK;
import static dev.loupe.index.solr.SolrDocuments.F_DOMAIN;
import static dev.loupe.index.solr.SolrDocuments.F_FIRST;
import static dev.loupe.index.solr.SolrDocuments.F_HASH;
import static dev.loupe.index.solr.SolrDocuments.F_ID;
import static dev.loupe.index.solr.SolrDocuments.F_KEYPOINTS;
import static dev.loupe.index.solr.SolrDocuments.F_KEYPOINT_VERSION;
import static dev.loupe.index.solr.SolrDocuments.F_LIKENESS_DIMS;
import static dev.loupe.index.solr.SolrDocuments.F_NOCC;
import static dev.loupe.index.solr.SolrDocuments.F_PIXKEY;
import static dev.loupe.index.solr.SolrDocuments.F_QUALITY;
import static dev.loupe.index.solr.SolrDocuments.F_SOURCE;
import static dev.loupe.index.solr.SolrDocuments.F_THUMB;
import static dev.loupe.index.solr.SolrDocuments.F_URL;
import static dev.loupe.index.solr.SolrDocuments.F_VERSION;
import static dev.loupe.index.solr.SolrDocuments.F_WORD;
import static dev.loupe.index.solr.SolrDocuments.IMAGE_FIELDS;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import dev.loupe.features.WordLookup;
import dev.loupe.index.AddOutcome;
import dev.loupe.index.Candidate;
import dev.loupe.index.DomainCount;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.ImageListing;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.ImagePage;
import dev.loupe.index.IndexFilter;
import dev.loupe.index.IndexStats;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.KeypointCandidate;
import dev.loupe.index.Occurrence;
import dev.loupe.index.Sighting;
import dev.loupe.index.StoredImages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.FacetField;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.client.solrj.response.TermsResponse;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * {@link ImageIndex} on a SolrCloud collection, through SolrJ: the scale-out backend. Solr stores
 * the documents and returns candidates (hash-chunk terms, visual-word votes, HNSW neighbours);
 * Loupe verifies them exactly as with the embedded index (Hamming distances here, keypoint geometry
 * in the searcher). Documents are laid out by {@link SolrDocuments}; the collection and its
 * configset are set up by {@link SolrCollections}.
 *
 * <p>Writes are read-modify-write of one document under optimistic concurrency: each update names
 * the version it read ({@code _version_}, -1 for a new image), so concurrent writers from other
 * processes never lose an occurrence: a conflict re-reads and re-applies. Reads of one image use
 * real-time get and see every write at once; searches see this instance's writes after a soft
 * commit, made once before the first search that follows a write (as the embedded index reopens
 * its reader). {@link #commit()} is a hard commit.
 *
 * <p>A request that fails because a node is down or a leader is being elected is retried within
 * the address's timeout (default {@link SolrIndexAddress#DEFAULT_TIMEOUT}). Over 400 lines because each contract method is a short, separate
 * use of Solr.
 */
public final class SolrImageIndex implements ImageIndex {
  private final SolrIndexAddress address;
  /** The vector sizes the collection's configset has fields for. */
  private final TreeSet<Integer> vectorSizes;
  private final CloudSolrClient client;
  private final SolrRequests requests;
  private final String collection;
  /**
   * Held by writes for the whole read-modify-write, which retries while the cluster recovers; never
   * by searches, so that a write waiting out a leader election does not stall them.
   */
  private final Object writeLock = new Object();
  /**
   * Guards {@link #pending} and {@link #dirty}; taken after {@link #writeLock} when both are held.
   * A write marks itself pending only after Solr took it, so a soft commit that clears the pending
   * writes under this lock has made every one of them visible.
   */
  private final Object visibilityLock = new Object();
  /** Images written since the last soft commit, by pixel key; an empty Optional is a deletion. */
  private final Map<String, Optional<IndexedImage>> pending = new HashMap<>();
  /** Writes not yet visible to searches (a soft commit is due). */
  private volatile boolean dirty;
  /** Writes not yet durable (a hard commit is due). */
  private volatile boolean uncommitted;

  private SolrImageIndex(SolrIndexAddress address, CloudSolrClient client, TreeSet<Integer> vectorSizes) {
    this.address = address;
    this.vectorSizes = vectorSizes;
    this.client = client;
    this.collection = address.collection();
    this.requests = new SolrRequests(client, collection, address.timeout(),
        address.zooKeeper() ? List.of() : address.nodeUrls());
  }

  /** Connects to the collection at {@code address}, creating it (and uploading the configset) if absent. */
  public static SolrImageIndex open(SolrIndexAddress address) throws IOException {
    return open(address, SolrCollections.defaultVectorSizes());
  }

  /**
   * As {@link #open(SolrIndexAddress)} for vectors of other sizes than Loupe's descriptors (a
   * collection created here gets a configset with a vector field type per size).
   */
  public static SolrImageIndex open(SolrIndexAddress address, Set<Integer> vectorSizes) throws IOException {
    TreeSet<Integer> sizes = new TreeSet<>(vectorSizes);
    CloudHttp2SolrClient.Builder builder = address.zooKeeper()
        ? new CloudHttp2SolrClient.Builder(address.hosts(), address.chroot())
        : new CloudHttp2SolrClient.Builder(address.nodeUrls());
    CloudSolrClient client = builder.withDefaultCollection(address.collection()).build();
    try {
      SolrCollections.ensure(client, address, sizes);
      return new SolrImageIndex(address, client, sizes);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  public SolrIndexAddress address() {
    return address;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public AddOutcome add(ImageSignature signature, ImageMetadata metadata, Occurrence occurrence) throws IOException {
    Objects.requireNonNull(occurrence, "occurrence");
    String id = IndexedImage.idOf(signature.pixelKey());
    synchronized (writeLock) {
      while (true) {
        SolrDocument stored = requests.get(id, IMAGE_FIELDS + "," + F_THUMB);
        Optional<IndexedImage> old = stored == null ? Optional.empty() : Optional.of(SolrDocuments.fromDocument(stored));
        Sighting sighting = Sighting.of(old, signature, metadata, occurrence);
        IndexedImage image = sighting.image();
        byte[] oldThumbnail = stored == null ? metadata.thumbnail() : SolrDocuments.bytes(stored, F_THUMB);
        byte[] thumbnail = oldThumbnail == null ? new byte[0] : oldThumbnail;
        long version = stored == null ? -1 : SolrDocuments.version(stored);
        if (requests.write(SolrDocuments.toDocument(image, thumbnail), version)) {
          written(signature.pixelKey(), Optional.of(image));
          return sighting.outcome();
        }
      }
    }
  }

  @Override
  public boolean deleteImage(String id) throws IOException {
    synchronized (writeLock) {
      while (true) {
        SolrDocument stored = requests.get(id, F_ID + "," + F_PIXKEY + "," + F_VERSION);
        if (stored == null) {
          return false;
        }
        if (requests.delete(id, SolrDocuments.version(stored))) {
          written((String) stored.getFirstValue(F_PIXKEY), Optional.empty());
          return true;
        }
      }
    }
  }

  @Override
  public int deleteLocation(String location) throws IOException {
    synchronized (writeLock) {
      refreshIfDirty();
      String query = F_SOURCE + ":" + ClientUtils.escapeQueryChars(location) + " OR " + F_URL + ":"
          + ClientUtils.escapeQueryChars(location);
      List<String> ids = new ArrayList<>();
      forEach(new SolrQuery(query).setFields(F_ID), doc -> ids.add((String) doc.getFirstValue(F_ID)));
      int removed = 0;
      for (String id : ids) {
        removed += rewrite(id, image -> Sighting.withoutLocation(image, location));
      }
      return removed;
    }
  }

  /**
   * Replaces one image by {@code change}'s result (null: deletes it), under optimistic concurrency.
   * Returns how many occurrences the change removed.
   */
  private int rewrite(String id, Function<IndexedImage, IndexedImage> change) throws IOException {
    while (true) {
      SolrDocument stored = requests.get(id, IMAGE_FIELDS + "," + F_THUMB);
      if (stored == null) {
        return 0;
      }
      IndexedImage image = SolrDocuments.fromDocument(stored);
      IndexedImage updated = change.apply(image);
      long version = SolrDocuments.version(stored);
      String key = image.signature().pixelKey();
      if (updated == null) {
        if (requests.delete(id, version)) {
          written(key, Optional.empty());
          return image.occurrences().size();
        }
      } else {
        byte[] thumbnail = SolrDocuments.bytes(stored, F_THUMB);
        if (requests.write(SolrDocuments.toDocument(updated, thumbnail == null ? new byte[0] : thumbnail), version)) {
          written(key, Optional.of(updated));
          return image.occurrences().size() - updated.occurrences().size();
        }
      }
    }
  }

  private void written(String pixelKey, Optional<IndexedImage> image) {
    synchronized (visibilityLock) {
      pending.put(pixelKey, image);
      dirty = true;
    }
    uncommitted = true;
  }

  @Override
  public long outdatedKeypoints() throws IOException {
    refreshIfDirty();
    return requests.query(outdatedQuery().setRows(0)).getResults().getNumFound();
  }

  @Override
  public int upgradeKeypoints(int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    synchronized (writeLock) {
      refreshIfDirty();
      SolrDocumentList found = requests.query(outdatedQuery().setRows(limit).setFields(F_ID)).getResults();
      for (SolrDocument doc : found) {
        // toDocument writes the keypoints in the current format.
        rewrite((String) doc.getFirstValue(F_ID), image -> image);
      }
      return found.size();
    }
  }

  private static SolrQuery outdatedQuery() {
    return new SolrQuery(F_KEYPOINT_VERSION + ":[1 TO " + (StoredImages.KEYPOINT_VERSION - 1) + "]");
  }

  @Override
  public void commit() throws IOException {
    synchronized (writeLock) {
      requests.commit();
      synchronized (visibilityLock) {
        pending.clear();
        dirty = false;
      }
      uncommitted = false;
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      try {
        if (uncommitted) {
          commit();
        }
      } finally {
        client.close();
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<IndexedImage> image(String id) throws IOException {
    SolrDocument doc = requests.get(id, IMAGE_FIELDS);
    return doc == null ? Optional.empty() : Optional.of(SolrDocuments.fromDocument(doc));
  }

  @Override
  public Optional<IndexedImage> imageByPixelKey(String pixelKey) throws IOException {
    return image(IndexedImage.idOf(pixelKey)).filter(i -> i.signature().pixelKey().equals(pixelKey));
  }

  @Override
  public Optional<byte[]> thumbnail(String id) throws IOException {
    return storedBytes(id, F_THUMB);
  }

  @Override
  public Optional<LocalFeatures> localFeatures(String id) throws IOException {
    Optional<byte[]> bytes = storedBytes(id, F_KEYPOINTS);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(bytes.get().length == 0 ? LocalFeatures.EMPTY : StoredImages.keypoints(bytes.get()));
  }

  private Optional<byte[]> storedBytes(String id, String field) throws IOException {
    SolrDocument doc = requests.get(id, F_ID + "," + field);
    if (doc == null) {
      return Optional.empty();
    }
    byte[] bytes = SolrDocuments.bytes(doc, field);
    return Optional.of(bytes == null ? new byte[0] : bytes);
  }

  @Override
  public boolean hasSource(String source, boolean withKeypoints) throws IOException {
    synchronized (visibilityLock) {
      for (Optional<IndexedImage> image : pending.values()) {
        if (image.isPresent() && (!withKeypoints || image.get().signature().local().isComputed())
            && image.get().occurrences().stream().anyMatch(o -> o.source().equals(source))) {
          return true;
        }
      }
      SolrQuery query = new SolrQuery(F_SOURCE + ":" + ClientUtils.escapeQueryChars(source))
          .setFields(F_PIXKEY, F_KEYPOINT_VERSION).setRows(10);
      for (SolrDocument doc : requests.query(query).getResults()) {
        // A pending entry supersedes what the last soft commit shows (the source may have been removed).
        Object version = doc.getFirstValue(F_KEYPOINT_VERSION);
        if (!pending.containsKey((String) doc.getFirstValue(F_PIXKEY)) && (!withKeypoints
            || (version != null && ((Number) version).longValue() == StoredImages.KEYPOINT_VERSION))) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public List<Candidate> withinDistance(
      List<Hash256> queryHashes, int maxDistance, int minQuality, IndexFilter filter, int limit) throws IOException {
    if (maxDistance < 0 || maxDistance > MAX_HASH_RADIUS) {
      throw new IllegalArgumentException("maxDistance must be in 0.." + MAX_HASH_RADIUS + ", got: " + maxDistance);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    if (queryHashes.isEmpty()) {
      return List.of();
    }
    refreshIfDirty();
    // An image within maxDistance bits shares at least minChunkHits of the (distinct) looked-up chunk
    // terms, so Solr counts them (minimum should match) and returns only the images that reach it.
    StringBuilder q = new StringBuilder("{!bool mm=").append(StoredImages.minChunkHits(maxDistance));
    for (byte[] term : StoredImages.chunkTerms(queryHashes, maxDistance)) {
      q.append(" should=").append(F_CHUNK).append(':').append(SolrDocuments.term(term));
    }
    SolrQuery query = new SolrQuery(q.append('}').toString())
        .addFilterQuery(F_QUALITY + ":[" + minQuality + " TO *]").setFields(F_ID, F_HASH);
    addDomainFilter(query, filter);
    // Every candidate is verified here against its full hash, as the embedded index verifies its own.
    record Found(String id, int distance, int variant) {}
    List<Found> found = new ArrayList<>();
    forEach(query, doc -> {
      Hash256 hash = SolrDocuments.hash(doc);
      int best = Integer.MAX_VALUE;
      int variant = -1;
      for (int v = 0; v < queryHashes.size(); v++) {
        int d = hash.distance(queryHashes.get(v));
        if (d < best) {
          best = d;
          variant = v;
        }
      }
      if (best <= maxDistance) {
        found.add(new Found((String) doc.getFirstValue(F_ID), best, variant));
      }
    });
    found.sort(java.util.Comparator.comparingInt(Found::distance).thenComparing(Found::id));
    List<Found> top = found.subList(0, Math.min(limit, found.size()));
    Map<String, IndexedImage> images = images(top.stream().map(Found::id).toList());
    List<Candidate> out = new ArrayList<>();
    for (Found f : top) {
      IndexedImage image = images.get(f.id());
      if (image != null) {
        out.add(new Candidate(image, f.distance(), f.variant(), Float.NaN));
      }
    }
    return out;
  }

  @Override
  public List<Candidate> nearest(float[] descriptor, int k, IndexFilter filter) throws IOException {
    return nearest(SolrDocuments.descriptorField(descriptor.length), descriptor, k, filter);
  }

  @Override
  public List<Candidate> alike(float[] likeness, int k, IndexFilter filter) throws IOException {
    return nearest(SolrDocuments.likenessField(likeness.length), likeness, k, filter);
  }

  @Override
  public boolean hasLikeness() throws IOException {
    refreshIfDirty();
    return requests.query(new SolrQuery(F_LIKENESS_DIMS + ":[1 TO *]").setRows(0)).getResults().getNumFound() > 0;
  }

  private List<Candidate> nearest(String field, float[] vector, int k, IndexFilter filter) throws IOException {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got: " + k);
    }
    if (!vectorSizes.contains(vector.length)) {
      throw new IllegalArgumentException("query descriptor has " + vector.length + " dimensions; the Solr index holds "
          + vectorSizes);
    }
    refreshIfDirty();
    // topK is per shard and is also the graph search's beam: wider than k keeps recall (Solr's own advice).
    int topK = Math.min(1000, Math.max(5 * k, 50));
    SolrQuery query = new SolrQuery("{!knn f=" + field + " topK=" + topK + "}" + SolrDocuments.vectorLiteral(vector))
        .setFields(IMAGE_FIELDS, "score").setRows(k);
    addDomainFilter(query, filter);
    List<Candidate> out = new ArrayList<>();
    for (SolrDocument doc : requests.query(query).getResults()) {
      out.add(new Candidate(SolrDocuments.fromDocument(doc), Hash256.BITS, -1, ((Number) doc.get("score")).floatValue()));
    }
    return out;
  }

  @Override
  public List<KeypointCandidate> sharingWords(WordLookup lookup, int limit, IndexFilter filter) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    if (lookup.isEmpty()) {
      return List.of();
    }
    refreshIfDirty();
    long total = requests.query(new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
    Map<String, Long> frequencies = documentFrequencies(lookup);
    StringBuilder q = new StringBuilder();
    Set<Integer> counted = new HashSet<>();
    for (int w = 0; w < lookup.size(); w++) {
      String term = SolrDocuments.wordTerm(lookup.words()[w]);
      float score = StoredImages.wordScore(lookup.weights()[w], frequencies.getOrDefault(term, 0L), total);
      if (score > 0) {
        // Constant-score clauses: an image's score is the sum of its shared words' scores, its vote.
        q.append(q.isEmpty() ? "" : " ").append(F_WORD).append(':').append(term).append("^=")
            .append(String.format(Locale.ROOT, "%.7f", score));
        counted.add(lookup.words()[w]);
      }
    }
    if (q.isEmpty()) {
      return List.of();
    }
    SolrQuery query = new SolrQuery(q.toString()).setFields(IMAGE_FIELDS, "score").setRows(limit)
        .addSort("score", SolrQuery.ORDER.desc).addSort(F_ID, SolrQuery.ORDER.asc);
    query.set("q.op", "OR");
    addDomainFilter(query, filter);
    List<KeypointCandidate> out = new ArrayList<>();
    for (SolrDocument doc : requests.query(query).getResults()) {
      IndexedImage image = SolrDocuments.fromDocument(doc);
      int shared = 0;
      for (int word : VisualWords.indexWords(image.signature().local())) {
        if (counted.contains(word)) {
          shared++;
        }
      }
      out.add(new KeypointCandidate(image, ((Number) doc.get("score")).doubleValue(), shared));
    }
    return out;
  }

  /** Each looked-up word's document frequency over the whole collection (absent: in no image). */
  private Map<String, Long> documentFrequencies(WordLookup lookup) throws IOException {
    List<String> terms = new ArrayList<>();
    for (int word : lookup.words()) {
      terms.add(SolrDocuments.wordTerm(word));
    }
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("qt", "/terms");
    params.set("terms.fl", F_WORD);
    params.set("terms.list", String.join(",", terms));
    params.set("terms.limit", -1);
    QueryResponse response = requests.query(params, "/terms");
    Map<String, Long> out = new HashMap<>();
    TermsResponse terms1 = response.getTermsResponse();
    if (terms1 != null && terms1.getTerms(F_WORD) != null) {
      for (TermsResponse.Term t : terms1.getTerms(F_WORD)) {
        out.merge(t.getTerm(), t.getFrequency(), Long::sum);
      }
    }
    return out;
  }

  @Override
  public List<String> imageIds(String after, int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    refreshIfDirty();
    SolrQuery query = new SolrQuery("*:*").setFields(F_ID).setRows(limit).addSort(F_ID, SolrQuery.ORDER.asc);
    if (after != null) {
      query.addFilterQuery(F_ID + ":{" + quoted(after) + " TO *]");
    }
    List<String> out = new ArrayList<>();
    for (SolrDocument doc : requests.query(query).getResults()) {
      out.add((String) doc.getFirstValue(F_ID));
    }
    return out;
  }

  @Override
  public List<String> sourcesStartingWith(String prefix) throws IOException {
    refreshIfDirty();
    SolrQuery query = new SolrQuery("*:*").setRows(0).setFacet(true).addFacetField(F_SOURCE).setFacetPrefix(prefix)
        .setFacetLimit(-1).setFacetMinCount(1).setFacetSort("index");
    List<String> out = new ArrayList<>();
    FacetField sources = requests.query(query).getFacetField(F_SOURCE);
    if (sources != null) {
      sources.getValues().forEach(c -> out.add(c.getName()));
    }
    return out;
  }

  @Override
  public ImagePage list(ImageListing listing) throws IOException {
    refreshIfDirty();
    SolrQuery query = new SolrQuery("*:*").setFields(IMAGE_FIELDS)
        .addSort(F_FIRST, listing.newestFirst() ? SolrQuery.ORDER.desc : SolrQuery.ORDER.asc)
        .addSort(F_ID, SolrQuery.ORDER.asc);
    addDomainFilter(query, listing.filter());
    if (listing.sourcePrefix() != null) {
      query.addFilterQuery("{!prefix f=" + F_SOURCE + "}" + listing.sourcePrefix());
    }
    if (listing.from() != null || listing.to() != null) {
      String from = listing.from() == null ? "*" : Long.toString(listing.from().toEpochMilli());
      String to = listing.to() == null ? "*" : Long.toString(listing.to().toEpochMilli() - 1);
      query.addFilterQuery(F_FIRST + ":[" + from + " TO " + to + "]");
    }
    if (listing.titleWord() == null) {
      query.setStart(listing.offset()).setRows(listing.limit());
      QueryResponse response = requests.query(query);
      List<IndexedImage> page = new ArrayList<>();
      for (SolrDocument doc : response.getResults()) {
        page.add(SolrDocuments.fromDocument(doc));
      }
      return new ImagePage(page, response.getResults().getNumFound(), listing.offset());
    }
    // The title word needs the stored occurrences: every image the other filters keep is read, in order.
    List<IndexedImage> page = new ArrayList<>();
    long[] total = {0};
    query.setStart(0).setRows(500);
    int rows = 0;
    for (long start = 0; ; start += rows) {
      query.setStart((int) start);
      SolrDocumentList docs = requests.query(query).getResults();
      rows = docs.size();
      for (SolrDocument doc : docs) {
        IndexedImage image = SolrDocuments.fromDocument(doc);
        if (image.occurrences().stream().anyMatch(o -> listing.titleMatches(o.title()))) {
          if (total[0] >= listing.offset() && page.size() < listing.limit()) {
            page.add(image);
          }
          total[0]++;
        }
      }
      if (rows == 0 || start + rows >= docs.getNumFound()) {
        break;
      }
    }
    return new ImagePage(page, total[0], listing.offset());
  }

  @Override
  public IndexStats stats() throws IOException {
    refreshIfDirty();
    SolrQuery query = new SolrQuery("*:*").setRows(0);
    query.setGetFieldStatistics(F_NOCC);
    QueryResponse response = requests.query(query);
    long images = response.getResults().getNumFound();
    var nocc = response.getFieldStatsInfo() == null ? null : response.getFieldStatsInfo().get(F_NOCC);
    long occurrences = nocc == null || nocc.getSum() == null ? 0 : ((Number) nocc.getSum()).longValue();
    SolrCores.Status cores = SolrCores.status(client, collection);
    return new IndexStats(images, occurrences, cores.bytes(), cores.lastCommit(), cores.segments());
  }

  @Override
  public List<DomainCount> domains(int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    refreshIfDirty();
    SolrQuery query = new SolrQuery("*:*").setRows(0).setFacet(true).addFacetField(F_DOMAIN).setFacetLimit(limit)
        .setFacetMinCount(1).setFacetSort("count");
    List<DomainCount> out = new ArrayList<>();
    FacetField domains = requests.query(query).getFacetField(F_DOMAIN);
    if (domains != null) {
      domains.getValues().forEach(c -> out.add(new DomainCount(c.getName(), c.getCount())));
    }
    return out;
  }

  // ---------------------------------------------------------------- internals

  /** Images by id (real-time get: they are current); ids not found are absent from the map. */
  private Map<String, IndexedImage> images(List<String> ids) throws IOException {
    Map<String, IndexedImage> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (SolrDocument doc : requests.getAll(ids, IMAGE_FIELDS)) {
      IndexedImage image = SolrDocuments.fromDocument(doc);
      out.put(image.id(), image);
    }
    return out;
  }

  /** Runs {@code query} over every match, in id order, a page at a time (a cursor). */
  private void forEach(SolrQuery query, DocumentVisitor visitor) throws IOException {
    query.setRows(1000).setSorts(new ArrayList<>()).addSort(F_ID, SolrQuery.ORDER.asc);
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse response = requests.query(query);
      for (SolrDocument doc : response.getResults()) {
        visitor.visit(doc);
      }
      String next = response.getNextCursorMark();
      if (next == null || next.equals(cursor)) {
        return;
      }
      cursor = next;
    }
  }

  @FunctionalInterface
  private interface DocumentVisitor {
    void visit(SolrDocument doc) throws IOException;
  }

  private static void addDomainFilter(SolrQuery query, IndexFilter filter) {
    if (!filter.isEmpty()) {
      query.addFilterQuery("{!terms f=" + F_DOMAIN + "}" + String.join(",", filter.domains()));
    }
  }

  private static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * Makes this instance's writes visible to searches. When the cluster refuses (it lost
   * ZooKeeper), searches go on with what they saw before and the next one tries again.
   */
  private void refreshIfDirty() {
    if (dirty) {
      synchronized (visibilityLock) {
        if (dirty && requests.softCommit()) {
          pending.clear();
          dirty = false;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "SolrImageIndex[" + address + "]";
  }

}
