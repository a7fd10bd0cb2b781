package dev.loupe.engine;

import dev.loupe.embed.EmbeddingModel;
import dev.loupe.embed.ModelIdentity;
import dev.loupe.features.FeatureExtractor;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.EmbeddingIndex;
import dev.loupe.index.EmbeddingSpace;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.IndexedImage;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.ingest.Ingestor;
import dev.loupe.ingest.Originals;
import dev.loupe.search.EmbeddingQuery;
import dev.loupe.search.ImageSearcher;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchQuery;
import dev.loupe.search.SearchRequest;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An open engine over one data directory: the index plus everything that reads images into it
 * and searches it. Thread-safe. Only one process may open a data directory at a time; close it to
 * release the index lock and make the last writes durable.
 *
 * <p>With an embedding model ({@link #open(LoupeConfig, Path)}, docs/embeddings.md) every ingested
 * image also gets a neural vector in {@code <data>/embeddings}, the similar tier comes from those
 * vectors, and text and hybrid queries work. The data directory remembers the model, so later opens
 * without one use it again.
 */
public final class Loupe implements Closeable {
  private final LoupeConfig config;
  private final ImageIndex index;
  private final ImageFetcher fetcher;
  private final ImageAnalyzer analyzer;
  private final ImageSearcher searcher;
  private final Ingestor ingestor;
  /** The embedding model and its vectors; both null without a model. */
  private final EmbeddingModel model;
  private final EmbeddingIndex embeddings;
  /** The original bytes of uploads, under {@code originals/}. */
  private final Originals originals;

  /** Embeds what the ingestors add, or null without a model. */
  private final ModelVectors vectors;

  private Loupe(LoupeConfig config, ImageIndex index, EmbeddingModel model, EmbeddingIndex embeddings) {
    this.config = config;
    this.index = index;
    this.model = model;
    this.embeddings = embeddings;
    this.fetcher = new ImageFetcher(config.fetchPolicy());
    this.analyzer = new ImageAnalyzer(new ImageLoader(config.limits()), new FeatureExtractor());
    this.searcher = new ImageSearcher(index, config.search(), embeddings);
    this.vectors = model == null ? null : new ModelVectors(model, embeddings);
    try {
      this.originals = Originals.open(config.dataDir().resolve("originals"));
      sweepOriginals();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open the originals under " + config.dataDir(), e);
    }
    this.ingestor = ingestor(config.ingest());
  }

  /**
   * Removes kept originals that no occurrence names (a crash between keeping one and committing its
   * image, or a deletion interrupted), and warns of uploads whose original is missing.
   */
  private void sweepOriginals() throws IOException {
    java.util.Set<String> named = new java.util.HashSet<>();
    for (String source : index.sourcesStartingWith(Originals.UPLOAD_PREFIX)) {
      Originals.hashOf(source).ifPresent(named::add);
    }
    for (String hash : originals.hashes()) {
      if (!named.remove(hash)) {
        originals.delete(hash);
      }
    }
    if (!named.isEmpty()) {
      System.getLogger(Loupe.class.getName()).log(System.Logger.Level.WARNING,
          named.size() + " uploaded image(s) have no kept original under " + config.dataDir().resolve("originals")
              + " (indexed before originals were kept, or removed by hand)");
    }
  }

  /** The kept original bytes of {@code image}: those of one of its uploads, if any. */
  public Optional<byte[]> original(IndexedImage image) throws IOException {
    for (var occurrence : image.occurrences()) {
      Optional<String> hash = Originals.hashOf(occurrence.source());
      if (hash.isPresent()) {
        Optional<byte[]> bytes = originals.get(hash.get());
        if (bytes.isPresent()) {
          return bytes;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Deletes an image, commits, then deletes its kept originals; false if there was no such image.
   */
  public boolean deleteImage(String id) throws IOException {
    Optional<IndexedImage> image = index.image(id);
    if (!index.deleteImage(id)) {
      return false;
    }
    index.commit();
    if (image.isPresent()) {
      for (var occurrence : image.get().occurrences()) {
        Optional<String> hash = Originals.hashOf(occurrence.source());
        if (hash.isPresent()) {
          originals.delete(hash.get());
        }
      }
    }
    return true;
  }

  /**
   * Removes the occurrences of {@code location} ({@link ImageIndex#deleteLocation}), commits, then
   * deletes an upload's original no occurrence names any more; returns how many were removed.
   */
  public int deleteLocation(String location) throws IOException {
    int removed = index.deleteLocation(location);
    if (removed > 0) {
      index.commit();
      Optional<String> hash = Originals.hashOf(location);
      if (hash.isPresent() && index.sourcesStartingWith(Originals.UPLOAD_PREFIX + hash.get()).isEmpty()) {
        originals.delete(hash.get());
      }
    }
    return removed;
  }

  /**
   * Opens (creating if needed) the index under {@code config.dataDir()/index}, with the embedding
   * model the data directory recorded, if any.
   */
  public static Loupe open(LoupeConfig config) throws IOException {
    return open(config, null);
  }

  /**
   * Opens the data directory with an embedding model (null: the one it recorded, if any).
   *
   * @throws dev.loupe.embed.ModelDirectoryException if the model directory is unusable
   * @throws IllegalStateException if the stored vectors come from another model (the message says
   *     what to do)
   */
  public static Loupe open(LoupeConfig config, Path modelDir) throws IOException {
    return open(config, modelDir, false);
  }

  /**
   * As {@link #open(LoupeConfig, Path)}; with {@code replaceVectors}, vectors of another model are
   * deleted and the given model is recorded instead (for {@link #reembed}).
   */
  public static Loupe open(LoupeConfig config, Path modelDir, boolean replaceVectors) throws IOException {
    Path vectorsDir = config.dataDir().resolve("embeddings");
    if (modelDir == null && !Files.isDirectory(vectorsDir)) {
      return new Loupe(config, config.index().open(config.dataDir()), null, null);
    }
    EmbeddingIndex embeddings = null;
    EmbeddingModel model = null;
    ImageIndex index = null;
    try {
      embeddings = EmbeddingIndex.open(vectorsDir);
      Optional<EmbeddingSpace> recorded = embeddings.space();
      if (modelDir == null && recorded.isPresent()) {
        EmbeddingSpace space = recorded.get();
        try {
          model = EmbeddingModel.open(Path.of(space.location()));
        } catch (IOException | RuntimeException e) {
          throw new IllegalStateException("this data directory's vectors were made by the model " + space.model()
              + " from " + space.location() + ", which cannot be opened (" + e.getMessage() + "). Pass --model DIR "
              + "(or set LOUPE_MODEL) naming that model, or run `loupe reembed --model DIR` to embed with another",
              e);
        }
      } else if (modelDir != null) {
        model = EmbeddingModel.open(modelDir);
      }
      if (model != null) {
        EmbeddingSpace space = spaceOf(model);
        if (replaceVectors && recorded.isPresent() && !recorded.get().sameVectorsAs(space)) {
          embeddings.reset(space);
        } else {
          embeddings.bind(space);
        }
      } else {
        embeddings.close();
        embeddings = null;
      }
      index = config.index().open(config.dataDir());
      return new Loupe(config, index, model, embeddings);
    } catch (IOException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      if (embeddings != null) {
        embeddings.close();
      }
      if (index != null) {
        index.close();
      }
      throw e;
    }
  }

  private static EmbeddingSpace spaceOf(EmbeddingModel model) {
    ModelIdentity id = model.identity();
    return new EmbeddingSpace(id.name(), id.dimension(), id.checksums(),
        model.directory().toAbsolutePath().normalize().toString());
  }

  /** The embedding model, if one is set. */
  public Optional<EmbeddingModel> embeddingModel() {
    return Optional.ofNullable(model);
  }

  /** The vectors of the embedding model, if one is set. */
  public Optional<EmbeddingIndex> embeddings() {
    return Optional.ofNullable(embeddings);
  }

  public LoupeConfig config() {
    return config;
  }

  public ImageIndex index() {
    return index;
  }

  public ImageFetcher fetcher() {
    return fetcher;
  }

  public ImageAnalyzer analyzer() {
    return analyzer;
  }

  public ImageSearcher searcher() {
    return searcher;
  }

  public Ingestor ingestor() {
    return ingestor;
  }

  /**
   * An ingestor into this engine's index with other settings (threads, commit interval, skipping
   * known sources), embedding with this engine's model like {@link #ingestor()}: for a command run
   * with its own settings on an engine it did not open (a running server's).
   */
  public Ingestor ingestor(dev.loupe.ingest.IngestSettings settings) {
    return new Ingestor(index, fetcher, analyzer, settings, java.time.Clock.systemUTC(), vectors, originals);
  }

  /**
   * Searches with the image at {@code location} (a path, an http(s) or data URL, or Base64): for the
   * command line, which may read local files. A server searches with the bytes of a {@link
   * dev.loupe.fetch.RemoteImage} it read.
   */
  public List<SearchHit> searchLocation(String location, SearchRequest request)
      throws FetchException, ImageRejected, IOException {
    return search(fetcher.readLocation(location).bytes(), request);
  }

  /** Searches with an encoded image. */
  public List<SearchHit> search(byte[] encoded, SearchRequest request) throws ImageRejected, IOException {
    return search(analyzer.analyzeQuery(encoded), request);
  }

  /** Searches with an image already analysed by {@link ImageAnalyzer#analyzeQuery}. */
  public List<SearchHit> search(ImageAnalyzer.Analysis query, SearchRequest request) throws IOException {
    return search(query, null, request);
  }

  /**
   * Searches with an analysed image, a text, or both (a hybrid query: the text steers the ranking
   * of similar images; copies stay first). Without a model, an image query uses the classical
   * similar tier.
   *
   * @param query the analysed query image, or null for a text-only query
   * @param text the query text, or null
   * @throws ModelRequired if a text is given but no text-capable model is set
   */
  public List<SearchHit> search(ImageAnalyzer.Analysis query, String text, SearchRequest request) throws IOException {
    boolean hasText = text != null && !text.isBlank();
    if (query == null && !hasText) {
      throw new IllegalArgumentException("a search needs a query image or a text");
    }
    float[] textVector = hasText ? textVector(text) : null;
    float[] imageVector = query != null && model != null && embeddings.count() > 0
        ? model.embedImage(query.image()) : null;
    EmbeddingQuery neural = imageVector == null && textVector == null ? null
        : EmbeddingQuery.of(imageVector, textVector);
    return searcher.search(query == null ? null : queryOf(query), neural, request);
  }

  /** Searches by text alone: the similar images whose vectors point closest to the text's. */
  public List<SearchHit> searchText(String text, SearchRequest request) throws IOException {
    return search(null, text, request);
  }

  private float[] textVector(String text) {
    if (model == null) {
      throw new ModelRequired("text queries need an embedding model with a text tower, and none is set: set --model "
          + "DIR (or LOUPE_MODEL=DIR) to a model directory that has textual/model.onnx");
    }
    if (!model.understandsText()) {
      throw new ModelRequired("text queries need an embedding model with a text tower; the model "
          + model.identity().name() + " has none (no textual/model.onnx): set --model DIR (or LOUPE_MODEL=DIR) to a "
          + "model directory that has textual/model.onnx");
    }
    return model.embedText(text);
  }

  /**
   * Gives every image without a vector one, from its stored picture: the original file when its
   * source is a local path that still exists, else the stored thumbnail (256 px, JPEG). Resumable:
   * images that have a vector are skipped, and vectors are committed every {@code commitEvery}
   * images, so a run that is stopped loses at most that many.
   *
   * @throws ModelRequired if no model is set
   */
  public ReembedProgress reembed(int commitEvery, Consumer<ReembedProgress> progress) throws IOException {
    if (model == null) {
      throw new ModelRequired("re-embedding needs an embedding model: set --model DIR (or LOUPE_MODEL=DIR)");
    }
    return new Reembedder(index, embeddings, model, analyzer, config.limits()).run(commitEvery, progress);
  }

  /** The searcher's view of an analysed query image. */
  public SearchQuery queryOf(ImageAnalyzer.Analysis query) {
    List<float[]> rotated = searcher.wantsDihedralDescriptors(query.signature())
        ? query.dihedralDescriptors() : List.of();
    return new SearchQuery(query.signature(), query.image().width(), query.image().height(), rotated,
        query::mirroredKeypoints, query.image());
  }

  @Override
  public void close() throws IOException {
    try {
      index.close();
    } finally {
      try {
        fetcher.close();
      } finally {
        if (embeddings != null) {
          embeddings.close();
        }
        if (model != null) {
          model.close();
        }
      }
    }
  }
}
