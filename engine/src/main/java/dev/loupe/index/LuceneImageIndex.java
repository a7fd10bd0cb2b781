package dev.loupe.index;

import static dev.loupe.index.ImageDocuments.F_DOMAIN;
import static dev.loupe.index.ImageDocuments.F_ID;
import static dev.loupe.index.ImageDocuments.F_NOCC;
import static dev.loupe.index.ImageDocuments.F_PIXKEY;
import static dev.loupe.index.ImageDocuments.F_SOURCE;
import static dev.loupe.index.ImageDocuments.F_THUMB;
import static dev.loupe.index.ImageDocuments.F_URL;
import static dev.loupe.index.ImageDocuments.F_VEC;
import static dev.loupe.index.ImageDocuments.IMAGE_AND_KEYPOINT_FIELDS;
import static dev.loupe.index.ImageDocuments.IMAGE_FIELDS;
import static dev.loupe.index.ImageDocuments.fromDocument;
import static dev.loupe.index.ImageDocuments.stripVariants;
import static dev.loupe.index.ImageDocuments.toDocument;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.WordLookup;
import java.util.concurrent.Callable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * {@link ImageIndex} on an embedded Lucene index in one directory.
 *
 * <p>One Lucene document per distinct image, keyed by pixel key. The 256-bit hash is indexed as
 * sixteen 16-bit chunk terms (term bytes: chunk number, then the chunk value) so that a Hamming
 * radius query becomes a term lookup: if two hashes differ in at most {@code 2·16 − 1 = 31} bits, at
 * least one chunk differs in at most one bit, so looking up every chunk value within one bit of the
 * query's (17 terms per chunk) finds every such image; the images that share enough of those terms
 * are then verified against the full hash read from doc values. The descriptor goes into an HNSW
 * graph with 7-bit scalar quantization. Occurrences, the signature and the thumbnail are stored
 * fields, so a document can be rebuilt when an occurrence is added.
 *
 * <p>The document layout lives in {@link ImageDocuments}, the hash lookup and its verification in
 * {@link HashChunkVotes}, the keypoint word votes in {@link WordVotes}. This class is the contract's
 * logic over them: the write path with its pending map, and one method per query; it is over 400
 * lines because each contract method is a short, separate use of Lucene.
 *
 * <p>Thread-safe. Writes are serialised on one lock. Reads see uncommitted writes: a read after a
 * write reopens the near-real-time reader once; until then, images written since the last reopen
 * are served from a small map so that an ingest does not reopen the reader for every image.
 */
public final class LuceneImageIndex implements ImageIndex {
  private static final String COMMIT_TIME = "loupe.commit.time";

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ExecutorService searchExecutor;
  private final Object writeLock = new Object();
  /** Images written since the last reader reopen, by pixel key; an empty Optional is a deletion. */
  private final Map<String, Optional<IndexedImage>> pending = new HashMap<>();
  private final Map<String, byte[]> pendingThumbnails = new HashMap<>();
  private volatile boolean dirty;

  private LuceneImageIndex(Path path, Directory directory, IndexWriter writer, int searchThreads) throws IOException {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    AtomicInteger threadNumber = new AtomicInteger();
    this.searchExecutor = searchThreads <= 1 ? null : Executors.newFixedThreadPool(searchThreads, r -> {
      Thread t = new Thread(r, "loupe-search-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.searchers = new SearcherManager(writer, new SearcherFactory() {
      @Override
      public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
        // Segments are searched in parallel: one query uses every core when the machine is idle.
        return new IndexSearcher(reader, searchExecutor);
      }
    });
  }

  /**
   * Opens the index in {@code dir}, creating it if absent. Only one process may hold an index open
   * for writing; a second gets an {@link IndexInUseException}.
   */
  public static LuceneImageIndex open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    IndexWriter writer = LoupeIndexWriters.open(dir, directory, 64);
    try {
      return new LuceneImageIndex(dir, directory, writer, Runtime.getRuntime().availableProcessors());
    } catch (IOException | RuntimeException e) {
      writer.close();
      directory.close();
      throw e;
    }
  }

  /** The index's directory. */
  public Path path() {
    return path;
  }

  // ---------------------------------------------------------------- writes

  @Override
  public AddOutcome add(ImageSignature signature, ImageMetadata metadata, Occurrence occurrence)
      throws IOException {
    Objects.requireNonNull(occurrence, "occurrence");
    synchronized (writeLock) {
      Optional<IndexedImage> existing = lookupForWrite(signature.pixelKey());
      Sighting sighting = Sighting.of(existing, signature, metadata, occurrence);
      IndexedImage image = sighting.image();
      byte[] thumbnail = existing.isEmpty() ? metadata.thumbnail()
          : thumbnailForWrite(image.id(), signature.pixelKey());
      writer.updateDocument(new Term(F_PIXKEY, signature.pixelKey()), toDocument(image, thumbnail));
      pending.put(signature.pixelKey(), Optional.of(image));
      pendingThumbnails.put(image.id(), thumbnail);
      dirty = true;
      return sighting.outcome();
    }
  }

  @Override
  public boolean deleteImage(String id) throws IOException {
    synchronized (writeLock) {
      refreshLocked();
      Optional<IndexedImage> image = image(id);
      if (image.isEmpty()) {
        return false;
      }
      writer.deleteDocuments(new Term(F_ID, id));
      pending.put(image.get().signature().pixelKey(), Optional.empty());
      dirty = true;
      return true;
    }
  }

  @Override
  public int deleteLocation(String location) throws IOException {
    synchronized (writeLock) {
      refreshLocked();
      BooleanQuery query = new BooleanQuery.Builder()
          .add(new TermQuery(new Term(F_SOURCE, location)), Occur.SHOULD)
          .add(new TermQuery(new Term(F_URL, location)), Occur.SHOULD)
          .build();
      List<IndexedImage> images = new ArrayList<>();
      IndexSearcher searcher = searchers.acquire();
      try {
        TopDocs top = searcher.search(query, Integer.MAX_VALUE - 1);
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc hit : top.scoreDocs) {
          images.add(fromDocument(stored.document(hit.doc, IMAGE_AND_KEYPOINT_FIELDS)));
        }
      } finally {
        searchers.release(searcher);
      }
      int removed = 0;
      for (IndexedImage image : images) {
        IndexedImage updated = Sighting.withoutLocation(image, location);
        removed += image.occurrences().size() - (updated == null ? 0 : updated.occurrences().size());
        String key = image.signature().pixelKey();
        if (updated == null) {
          writer.deleteDocuments(new Term(F_PIXKEY, key));
          pending.put(key, Optional.empty());
        } else {
          byte[] thumbnail = thumbnailForWrite(image.id(), key);
          writer.updateDocument(new Term(F_PIXKEY, key), toDocument(updated, thumbnail));
          pending.put(key, Optional.of(updated));
        }
        dirty = true;
      }
      return removed;
    }
  }

  @Override
  public long outdatedKeypoints() throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      return searcher.count(outdatedKeypointsQuery());
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public int upgradeKeypoints(int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    synchronized (writeLock) {
      refreshLocked();
      List<IndexedImage> images = new ArrayList<>();
      IndexSearcher searcher = searchers.acquire();
      try {
        StoredFields stored = searcher.storedFields();
        for (ScoreDoc hit : searcher.search(outdatedKeypointsQuery(), limit).scoreDocs) {
          images.add(fromDocument(stored.document(hit.doc, IMAGE_AND_KEYPOINT_FIELDS)));
        }
      } finally {
        searchers.release(searcher);
      }
      for (IndexedImage image : images) {
        String key = image.signature().pixelKey();
        // toDocument writes the keypoints in the current format.
        writer.updateDocument(new Term(F_PIXKEY, key), toDocument(image, thumbnailForWrite(image.id(), key)));
        pending.put(key, Optional.of(image));
        dirty = true;
      }
      return images.size();
    }
  }

  /** Documents whose keypoints were written in an earlier format. */
  private static Query outdatedKeypointsQuery() {
    return NumericDocValuesField.newSlowRangeQuery(ImageDocuments.F_KEYPOINT_VERSION, 1,
        ImageDocuments.KEYPOINT_VERSION - 1);
  }

  @Override
  public void commit() throws IOException {
    synchronized (writeLock) {
      writer.setLiveCommitData(Map.of(COMMIT_TIME, Long.toString(System.currentTimeMillis())).entrySet());
      writer.commit();
      // Reopening here bounds the map of pending writes to one commit's worth.
      refreshLocked();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      try {
        if (writer.hasUncommittedChanges()) {
          commit();
        }
        searchers.close();
        writer.close();
      } finally {
        if (searchExecutor != null) {
          searchExecutor.shutdownNow();
        }
        directory.close();
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<IndexedImage> image(String id) throws IOException {
    return findOne(new TermQuery(new Term(F_ID, id)));
  }

  @Override
  public List<String> imageIds(String after, int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      IndexReader reader = searcher.getIndexReader();
      org.apache.lucene.index.Terms terms = org.apache.lucene.index.MultiTerms.getTerms(reader, F_ID);
      List<String> out = new ArrayList<>();
      if (terms == null) {
        return out;
      }
      org.apache.lucene.util.Bits live = org.apache.lucene.index.MultiBits.getLiveDocs(reader);
      org.apache.lucene.index.TermsEnum te = terms.iterator();
      BytesRef term;
      if (after == null) {
        term = te.next();
      } else {
        org.apache.lucene.index.TermsEnum.SeekStatus status = te.seekCeil(new BytesRef(after));
        term = status == org.apache.lucene.index.TermsEnum.SeekStatus.END ? null
            : status == org.apache.lucene.index.TermsEnum.SeekStatus.FOUND ? te.next() : te.term();
      }
      for (; term != null && out.size() < limit; term = te.next()) {
        if (hasLiveDoc(reader, F_ID, term, live)) {
          out.add(term.utf8ToString());
        }
      }
      return out;
    } finally {
      searchers.release(searcher);
    }
  }

  /** Whether a document not deleted holds {@code term} in {@code field}. */
  private static boolean hasLiveDoc(IndexReader reader, String field, BytesRef term, org.apache.lucene.util.Bits live)
      throws IOException {
    org.apache.lucene.index.PostingsEnum postings = org.apache.lucene.index.MultiTerms.getTermPostingsEnum(
        reader, field, term, org.apache.lucene.index.PostingsEnum.NONE);
    for (int doc = postings.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
        doc = postings.nextDoc()) {
      if (live == null || live.get(doc)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<String> sourcesStartingWith(String prefix) throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      IndexReader reader = searcher.getIndexReader();
      org.apache.lucene.index.Terms terms = org.apache.lucene.index.MultiTerms.getTerms(reader, F_SOURCE);
      List<String> out = new ArrayList<>();
      if (terms == null) {
        return out;
      }
      org.apache.lucene.util.Bits live = org.apache.lucene.index.MultiBits.getLiveDocs(reader);
      org.apache.lucene.index.TermsEnum te = terms.iterator();
      BytesRef start = new BytesRef(prefix);
      if (te.seekCeil(start) == org.apache.lucene.index.TermsEnum.SeekStatus.END) {
        return out;
      }
      for (BytesRef term = te.term(); term != null && org.apache.lucene.util.StringHelper.startsWith(term, start);
          term = te.next()) {
        if (hasLiveDoc(reader, F_SOURCE, term, live)) {
          out.add(term.utf8ToString());
        }
      }
      return out;
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public Optional<IndexedImage> imageByPixelKey(String pixelKey) throws IOException {
    return findOne(new TermQuery(new Term(F_PIXKEY, pixelKey)));
  }

  @Override
  public Optional<byte[]> thumbnail(String id) throws IOException {
    return storedBytes(id, F_THUMB);
  }

  @Override
  public boolean hasSource(String source, boolean withKeypoints) throws IOException {
    synchronized (writeLock) {
      for (Optional<IndexedImage> image : pending.values()) {
        if (image.isPresent() && (!withKeypoints || image.get().signature().local().isComputed())
            && image.get().occurrences().stream().anyMatch(o -> o.source().equals(source))) {
          return true;
        }
      }
      IndexSearcher searcher = searchers.acquire();
      try {
        TopDocs top = searcher.search(new TermQuery(new Term(F_SOURCE, source)), 10);
        for (ScoreDoc hit : top.scoreDocs) {
          String key = searcher.storedFields().document(hit.doc, Set.of(F_PIXKEY)).get(F_PIXKEY);
          // A pending entry supersedes what the reader shows (the source may have been removed).
          if (!pending.containsKey(key) && (!withKeypoints || hasKeypoints(searcher, hit.doc))) {
            return true;
          }
        }
        return false;
      } finally {
        searchers.release(searcher);
      }
    }
  }

  /** Whether the document's keypoints were computed (images indexed before keypoints existed lack them). */
  private static boolean hasKeypoints(IndexSearcher searcher, int doc) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    NumericDocValues version = leaf.reader().getNumericDocValues(ImageDocuments.F_KEYPOINT_VERSION);
    return version != null && version.advanceExact(doc - leaf.docBase)
        && version.longValue() == ImageDocuments.KEYPOINT_VERSION;
  }

  @Override
  public List<Candidate> withinDistance(
      List<Hash256> queryHashes, int maxDistance, int minQuality, IndexFilter filter, int limit)
      throws IOException {
    if (maxDistance < 0 || maxDistance > MAX_HASH_RADIUS) {
      throw new IllegalArgumentException("maxDistance must be in 0.." + MAX_HASH_RADIUS + ", got: " + maxDistance);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    if (queryHashes.isEmpty()) {
      return List.of();
    }
    Hash256[] hashes = queryHashes.toArray(Hash256[]::new);
    BytesRef[] terms = HashChunkVotes.lookup(hashes, maxDistance);
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      Weight domains = filter.isEmpty() ? null
          : searcher.createWeight(searcher.rewrite(domainQuery(filter)), ScoreMode.COMPLETE_NO_SCORES, 1);
      List<Callable<List<long[]>>> segments = new ArrayList<>();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        segments.add(() -> HashChunkVotes.search(leaf, terms, hashes, maxDistance, minQuality, domains));
      }
      List<long[]> found = new ArrayList<>();
      searcher.getTaskExecutor().invokeAll(segments).forEach(found::addAll);
      found.sort(Comparator.<long[]>comparingLong(f -> f[1]).thenComparingLong(f -> f[0]));
      StoredFields stored = searcher.storedFields();
      List<Candidate> out = new ArrayList<>();
      for (long[] f : found.subList(0, Math.min(limit, found.size()))) {
        IndexedImage image = fromDocument(stored.document((int) f[0], IMAGE_FIELDS));
        out.add(new Candidate(image, (int) f[1], (int) f[2], Float.NaN));
      }
      return out;
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public List<Candidate> nearest(float[] descriptor, int k, IndexFilter filter) throws IOException {
    return nearest(F_VEC, descriptor, k, filter);
  }

  @Override
  public List<Candidate> alike(float[] likeness, int k, IndexFilter filter) throws IOException {
    return nearest(ImageDocuments.F_LIKENESS, likeness, k, filter);
  }

  @Override
  public boolean hasLikeness() throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      return hasVectors(searcher, ImageDocuments.F_LIKENESS, -1);
    } finally {
      searchers.release(searcher);
    }
  }

  private List<Candidate> nearest(String field, float[] descriptor, int k, IndexFilter filter) throws IOException {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got: " + k);
    }
    Query domainFilter = filter.isEmpty() ? null : domainQuery(filter);
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      if (!hasVectors(searcher, field, descriptor.length)) {
        return List.of();
      }
      TopDocs top = searcher.search(new KnnFloatVectorQuery(field, descriptor, k, domainFilter), k);
      StoredFields stored = searcher.storedFields();
      List<Candidate> out = new ArrayList<>();
      for (ScoreDoc hit : top.scoreDocs) {
        IndexedImage image = fromDocument(stored.document(hit.doc, IMAGE_FIELDS));
        out.add(new Candidate(image, Hash256.BITS, -1, hit.score));
      }
      return out;
    } finally {
      searchers.release(searcher);
    }
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
    IndexSearcher searcher = searchers.acquire();
    try {
      Weight domains = filter.isEmpty() ? null
          : searcher.createWeight(searcher.rewrite(domainQuery(filter)), ScoreMode.COMPLETE_NO_SCORES, 1);
      long totalDocs = searcher.getIndexReader().maxDoc();
      long maxFrequency = WordVotes.maxFrequency(totalDocs);
      List<Callable<WordVotes.LeafPostings>> reads = new ArrayList<>();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        reads.add(() -> WordVotes.collect(leaf, lookup.words(), maxFrequency));
      }
      List<WordVotes.LeafPostings> segments = searcher.getTaskExecutor().invokeAll(reads);
      float[] wordScores = WordVotes.wordScores(segments, lookup, totalDocs, maxFrequency);
      List<Callable<List<WordVotes.Vote>>> counts = new ArrayList<>();
      for (WordVotes.LeafPostings segment : segments) {
        counts.add(() -> WordVotes.count(segment, wordScores, domains, limit));
      }
      List<WordVotes.Vote> votes = new ArrayList<>();
      searcher.getTaskExecutor().invokeAll(counts).forEach(votes::addAll);
      votes.sort(WordVotes.Vote.BEST_FIRST);
      StoredFields stored = searcher.storedFields();
      List<KeypointCandidate> out = new ArrayList<>();
      for (WordVotes.Vote v : votes.subList(0, Math.min(limit, votes.size()))) {
        IndexedImage image = fromDocument(stored.document(v.doc(), IMAGE_AND_KEYPOINT_FIELDS));
        out.add(new KeypointCandidate(image, v.score(), v.words()));
      }
      return out;
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public Optional<LocalFeatures> localFeatures(String id) throws IOException {
    Optional<byte[]> bytes = storedBytes(id, ImageDocuments.F_KEYPOINTS);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(bytes.get().length == 0 ? LocalFeatures.EMPTY : ImageDocuments.decodeKeypoints(new BytesRef(bytes.get())));
  }

  @Override
  public ImagePage list(ImageListing listing) throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      return ListingSearch.run(searcher, listing);
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public IndexStats stats() throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      long images = 0;
      long occurrences = 0;
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        LeafReader reader = leaf.reader();
        images += reader.numDocs();
        NumericDocValues counts = reader.getNumericDocValues(F_NOCC);
        if (counts == null) {
          continue;
        }
        var live = reader.getLiveDocs();
        for (int doc = counts.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = counts.nextDoc()) {
          if (live == null || live.get(doc)) {
            occurrences += counts.longValue();
          }
        }
      }
      long bytes = 0;
      for (String file : directory.listAll()) {
        try {
          bytes += directory.fileLength(file);
        } catch (java.nio.file.NoSuchFileException e) {
          // Deleted by a merge while we were listing.
        }
      }
      Instant lastCommit = null;
      if (DirectoryReader.indexExists(directory)) {
        try (DirectoryReader committed = DirectoryReader.open(directory)) {
          String time = committed.getIndexCommit().getUserData().get(COMMIT_TIME);
          lastCommit = time == null ? null : Instant.ofEpochMilli(Long.parseLong(time));
        }
      }
      return new IndexStats(images, occurrences, bytes, lastCommit, searcher.getIndexReader().leaves().size());
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public List<DomainCount> domains(int limit) throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got: " + limit);
    }
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      // Exact counts over live documents: a term's docFreq would still count deleted images.
      Map<String, Long> counts = new HashMap<>();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        org.apache.lucene.index.Terms terms = leaf.reader().terms(F_DOMAIN);
        if (terms == null) {
          continue;
        }
        var live = leaf.reader().getLiveDocs();
        org.apache.lucene.index.TermsEnum te = terms.iterator();
        org.apache.lucene.index.PostingsEnum postings = null;
        for (BytesRef term = te.next(); term != null; term = te.next()) {
          postings = te.postings(postings, org.apache.lucene.index.PostingsEnum.NONE);
          long n = 0;
          for (int doc = postings.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
              doc = postings.nextDoc()) {
            if (live == null || live.get(doc)) {
              n++;
            }
          }
          if (n > 0) {
            counts.merge(term.utf8ToString(), n, Long::sum);
          }
        }
      }
      return counts.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(limit)
          .map(e -> new DomainCount(e.getKey(), e.getValue()))
          .toList();
    } finally {
      searchers.release(searcher);
    }
  }

  // ---------------------------------------------------------------- internals

  /** One stored binary field of the image with this id: empty when there is no such image, no bytes when it lacks the field. */
  private Optional<byte[]> storedBytes(String id, String field) throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      TopDocs top = searcher.search(new TermQuery(new Term(F_ID, id)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      BytesRef bytes = searcher.storedFields().document(top.scoreDocs[0].doc, Set.of(field)).getBinaryValue(field);
      return Optional.of(bytes == null ? new byte[0] : BytesRef.deepCopyOf(bytes).bytes);
    } finally {
      searchers.release(searcher);
    }
  }

  private Optional<IndexedImage> findOne(Query query) throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      TopDocs top = searcher.search(query, 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      return Optional.of(fromDocument(searcher.storedFields().document(top.scoreDocs[0].doc, IMAGE_FIELDS)));
    } finally {
      searchers.release(searcher);
    }
  }

  private Optional<IndexedImage> lookupForWrite(String pixelKey) throws IOException {
    Optional<IndexedImage> pendingImage = pending.get(pixelKey);
    if (pendingImage != null) {
      return pendingImage;
    }
    IndexSearcher searcher = searchers.acquire();
    try {
      TopDocs top = searcher.search(new TermQuery(new Term(F_PIXKEY, pixelKey)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      return Optional.of(fromDocument(searcher.storedFields().document(top.scoreDocs[0].doc, IMAGE_AND_KEYPOINT_FIELDS)));
    } finally {
      searchers.release(searcher);
    }
  }

  private byte[] thumbnailForWrite(String id, String pixelKey) throws IOException {
    byte[] thumbnail = pendingThumbnails.get(id);
    if (thumbnail != null) {
      return thumbnail;
    }
    IndexSearcher searcher = searchers.acquire();
    try {
      TopDocs top = searcher.search(new TermQuery(new Term(F_PIXKEY, pixelKey)), 1);
      if (top.scoreDocs.length == 0) {
        return new byte[0];
      }
      BytesRef bytes = searcher.storedFields().document(top.scoreDocs[0].doc, Set.of(F_THUMB)).getBinaryValue(F_THUMB);
      return bytes == null ? new byte[0] : BytesRef.deepCopyOf(bytes).bytes;
    } finally {
      searchers.release(searcher);
    }
  }

  private void refreshIfDirty() throws IOException {
    if (dirty) {
      synchronized (writeLock) {
        refreshLocked();
      }
    }
  }

  private void refreshLocked() throws IOException {
    if (dirty) {
      searchers.maybeRefreshBlocking();
      pending.clear();
      pendingThumbnails.clear();
      dirty = false;
    }
  }

  /** Whether some segment has vectors in {@code field}; fails when their dimension is not {@code dimensions} (unless -1). */
  private static boolean hasVectors(IndexSearcher searcher, String field, int dimensions) {
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      var info = leaf.reader().getFieldInfos().fieldInfo(field);
      if (info != null && info.hasVectorValues()) {
        if (dimensions >= 0 && info.getVectorDimension() != dimensions) {
          throw new IllegalArgumentException(
              "query descriptor has " + dimensions + " dimensions; the index holds " + info.getVectorDimension());
        }
        return true;
      }
    }
    return false;
  }

  private static Query domainQuery(IndexFilter filter) {
    return new TermInSetQuery(F_DOMAIN, filter.domains().stream().map(BytesRef::new).toList());
  }

}
