package dev.loupe.engine;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.LuceneImageIndex;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.ingest.Ingestor;
import dev.loupe.search.ImageSearcher;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchQuery;
import dev.loupe.search.SearchRequest;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * An open engine over one data directory: the index plus everything that reads images into it
 * and searches it. Thread-safe. Only one process may open a data directory at a time; close it to
 * release the index lock and make the last writes durable.
 */
public final class Loupe implements Closeable {
  private final LoupeConfig config;
  private final ImageIndex index;
  private final ImageFetcher fetcher;
  private final ImageAnalyzer analyzer;
  private final ImageSearcher searcher;
  private final Ingestor ingestor;

  private Loupe(LoupeConfig config, ImageIndex index) {
    this.config = config;
    this.index = index;
    this.fetcher = new ImageFetcher(config.fetchPolicy());
    this.analyzer = new ImageAnalyzer(new ImageLoader(config.limits()), new FeatureExtractor());
    this.searcher = new ImageSearcher(index, config.search());
    this.ingestor = new Ingestor(index, fetcher, analyzer, config.ingest());
  }

  /** Opens (creating if needed) the index under {@code config.dataDir()/index}. */
  public static Loupe open(LoupeConfig config) throws IOException {
    return new Loupe(config, LuceneImageIndex.open(config.dataDir().resolve("index")));
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

  /** Searches with the image at {@code location} (a path, an http(s) or data URL, or Base64). */
  public List<SearchHit> search(String location, SearchRequest request)
      throws FetchException, ImageRejected, IOException {
    return search(fetcher.read(location).bytes(), request);
  }

  /** Searches with an encoded image. */
  public List<SearchHit> search(byte[] encoded, SearchRequest request) throws ImageRejected, IOException {
    return search(analyzer.analyzeQuery(encoded), request);
  }

  /** Searches with an image already analysed by {@link ImageAnalyzer#analyzeQuery}. */
  public List<SearchHit> search(ImageAnalyzer.Analysis query, SearchRequest request) throws IOException {
    return searcher.search(queryOf(query), request);
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
      fetcher.close();
    }
  }
}
