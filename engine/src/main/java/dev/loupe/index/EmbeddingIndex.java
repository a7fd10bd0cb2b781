package dev.loupe.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * One neural embedding per image, in its own Lucene index beside the image index (in
 * {@code <data>/embeddings}): a document per image id with the unit vector in an HNSW graph (7-bit
 * scalar quantization, dot product). The model that made the vectors is recorded in the commit data
 * ({@link #space()}); {@link #bind} refuses vectors of another model until {@link #reset}.
 *
 * <p>Kept apart from the image index so that a model can be added, changed or dropped without
 * rewriting the image documents, and so that an index without a model carries no vector field. An
 * image deleted from the image index leaves its vector here until the next {@link #reset}; searches
 * skip ids the image index no longer has.
 *
 * <p>Thread-safe: writes are serialised by Lucene's writer, reads see writes after a reopen that
 * happens on the first read after a write. Only one process may open it at a time.
 */
public final class EmbeddingIndex implements Closeable {
  static final String F_ID = "id";
  static final String F_VECTOR = "embedding";
  private static final String SPACE_PREFIX = "loupe.embedding.";

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private volatile EmbeddingSpace space;
  private volatile boolean dirty;

  private EmbeddingIndex(Path path, Directory directory, IndexWriter writer) throws IOException {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, null);
    this.space = readSpace(writer).orElse(null);
  }

  /** Opens (creating if absent) the embedding index in {@code dir}. */
  public static EmbeddingIndex open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    IndexWriter writer = LoupeIndexWriters.open(dir, directory, IndexWriterConfig.DEFAULT_RAM_BUFFER_SIZE_MB);
    try {
      return new EmbeddingIndex(dir, directory, writer);
    } catch (IOException | RuntimeException e) {
      writer.close();
      directory.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** The model the stored vectors come from; empty if none was ever bound. */
  public Optional<EmbeddingSpace> space() {
    return Optional.ofNullable(space);
  }

  /**
   * Records the model for an empty index, or checks that it is the recorded one (updating only its
   * location).
   *
   * @throws IllegalStateException if vectors of another model are stored; the message says what to do
   */
  public synchronized void bind(EmbeddingSpace model) throws IOException {
    if (space != null && !space.sameVectorsAs(model)) {
      throw new IllegalStateException(mismatch(space, model));
    }
    if (space == null || !space.equals(model)) {
      space = model;
      writer.setLiveCommitData(commitData(model).entrySet());
      writer.commit();
    }
  }

  /** The message for searching vectors of {@code stored} with {@code given}. */
  public static String mismatch(EmbeddingSpace stored, EmbeddingSpace given) {
    return "this data directory's vectors were made by the model " + stored.model() + " (dimension "
        + stored.dimension() + (stored.location().isEmpty() ? "" : ", from " + stored.location()) + "); the model "
        + given.model() + " (dimension " + given.dimension() + ") cannot search them. Use --model with the first "
        + "model, or run `loupe reembed --model " + (given.location().isEmpty() ? "DIR" : given.location())
        + "` to replace the vectors";
  }

  /** Deletes every vector and binds {@code model} instead (re-embedding with another model). */
  public synchronized void reset(EmbeddingSpace model) throws IOException {
    writer.deleteAll();
    space = model;
    writer.setLiveCommitData(commitData(model).entrySet());
    writer.commit();
    searchers.maybeRefreshBlocking();
    dirty = false;
  }

  /** Stores (or replaces) the vector of one image; durable at {@link #commit()}. */
  public void put(String id, float[] vector) throws IOException {
    EmbeddingSpace bound = space;
    if (bound == null) {
      throw new IllegalStateException("bind a model before storing vectors");
    }
    if (vector.length != bound.dimension()) {
      throw new IllegalArgumentException("vector has " + vector.length + " dimensions; the index holds "
          + bound.dimension());
    }
    Document doc = new Document();
    doc.add(new StringField(F_ID, id, Field.Store.YES));
    doc.add(new KnnFloatVectorField(F_VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
    writer.updateDocument(new Term(F_ID, id), doc);
    dirty = true;
  }

  /** Whether the image with this id has a vector (committed or not). */
  public boolean has(String id) throws IOException {
    IndexSearcher searcher = acquire();
    try {
      return searcher.count(new TermQuery(new Term(F_ID, id))) > 0;
    } finally {
      searchers.release(searcher);
    }
  }

  /** Number of stored vectors. */
  public int count() throws IOException {
    IndexSearcher searcher = acquire();
    try {
      return searcher.getIndexReader().numDocs();
    } finally {
      searchers.release(searcher);
    }
  }

  /** The stored vector of one image. */
  public Optional<float[]> vector(String id) throws IOException {
    IndexSearcher searcher = acquire();
    try {
      TopDocs top = searcher.search(new TermQuery(new Term(F_ID, id)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      int doc = top.scoreDocs[0].doc;
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        if (doc >= leaf.docBase && doc < leaf.docBase + leaf.reader().maxDoc()) {
          FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VECTOR);
          if (values == null) {
            return Optional.empty();
          }
          KnnVectorValues.DocIndexIterator it = values.iterator();
          if (it.advance(doc - leaf.docBase) == doc - leaf.docBase) {
            return Optional.of(values.vectorValue(it.index()).clone());
          }
        }
      }
      return Optional.empty();
    } finally {
      searchers.release(searcher);
    }
  }

  /** The {@code k} images whose vectors are closest to {@code query} (approximate), best first. */
  public List<VectorHit> nearest(float[] query, int k) throws IOException {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got: " + k);
    }
    EmbeddingSpace bound = space;
    if (bound == null) {
      return List.of();
    }
    if (query.length != bound.dimension()) {
      throw new IllegalArgumentException("query vector has " + query.length + " dimensions; the index holds "
          + bound.dimension());
    }
    IndexSearcher searcher = acquire();
    try {
      if (searcher.getIndexReader().numDocs() == 0) {
        return List.of();
      }
      TopDocs top = searcher.search(new KnnFloatVectorQuery(F_VECTOR, query, k), k);
      StoredFields stored = searcher.storedFields();
      List<VectorHit> out = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc hit : top.scoreDocs) {
        // Lucene's dot-product score is (1 + cosine) / 2 for unit vectors
        out.add(new VectorHit(stored.document(hit.doc).get(F_ID), 2 * hit.score - 1));
      }
      return out;
    } finally {
      searchers.release(searcher);
    }
  }

  /** Makes every write so far durable. */
  public void commit() throws IOException {
    if (space != null) {
      writer.setLiveCommitData(commitData(space).entrySet());
    }
    writer.commit();
  }

  @Override
  public void close() throws IOException {
    try {
      searchers.close();
    } finally {
      try {
        writer.close();
      } finally {
        directory.close();
      }
    }
  }

  private IndexSearcher acquire() throws IOException {
    if (dirty) {
      dirty = false;
      searchers.maybeRefreshBlocking();
    }
    return searchers.acquire();
  }

  private static Map<String, String> commitData(EmbeddingSpace space) {
    Map<String, String> data = new HashMap<>();
    data.put(SPACE_PREFIX + "model", space.model());
    data.put(SPACE_PREFIX + "dimension", Integer.toString(space.dimension()));
    data.put(SPACE_PREFIX + "location", space.location());
    space.checksums().forEach((file, sum) -> data.put(SPACE_PREFIX + "sha256." + file, sum));
    return data;
  }

  private static Optional<EmbeddingSpace> readSpace(IndexWriter writer) throws IOException {
    if (!DirectoryReader.indexExists(writer.getDirectory())) {
      return Optional.empty();
    }
    Map<String, String> data = new HashMap<>();
    for (Map.Entry<String, String> e : writer.getLiveCommitData()) {
      data.put(e.getKey(), e.getValue());
    }
    String model = data.get(SPACE_PREFIX + "model");
    if (model == null) {
      return Optional.empty();
    }
    Map<String, String> checksums = new HashMap<>();
    String prefix = SPACE_PREFIX + "sha256.";
    data.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        checksums.put(k.substring(prefix.length()), v);
      }
    });
    return Optional.of(new EmbeddingSpace(model, Integer.parseInt(data.get(SPACE_PREFIX + "dimension")), checksums,
        data.getOrDefault(SPACE_PREFIX + "location", "")));
  }
}
