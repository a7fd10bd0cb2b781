package dev.loupe.tools;

import dev.loupe.telemetry.Metrics;
import dev.loupe.engine.Loupe;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.EmbeddingIndex;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;

/**
 * {@link ImageSearchBackend} over an open engine; the caller keeps ownership of the engine. Every
 * image URL is read as a {@link RemoteImage}: an http(s) or data URL, never a file of the server,
 * whatever protocol passed it on.
 */
public record LoupeSearchBackend(Loupe loupe) implements ImageSearchBackend {
  public LoupeSearchBackend {
    Objects.requireNonNull(loupe, "loupe");
  }

  @Override
  public List<SearchHit> search(String imageUrl, SearchRequest request)
      throws FetchException, ImageRejected, IOException {
    return search(loupe.fetcher().read(RemoteImage.parse(imageUrl)).bytes(), request);
  }

  @Override
  public FetchedImage fetch(String imageUrl) throws FetchException, ImageRejected {
    byte[] bytes = loupe.fetcher().read(RemoteImage.parse(imageUrl)).bytes();
    return new FetchedImage(bytes, new ImageLoader(loupe.config().limits()).probe(bytes));
  }

  @Override
  public List<SearchHit> search(byte[] encoded, SearchRequest request) throws ImageRejected, IOException {
    return counted(loupe.search(encoded, request));
  }

  private static List<SearchHit> counted(List<SearchHit> hits) {
    Metrics.searched("tool", hits);
    return hits;
  }

  @Override
  public List<SearchHit> search(String imageUrl, String text, SearchRequest request)
      throws FetchException, ImageRejected, IOException {
    return search(loupe.fetcher().read(RemoteImage.parse(imageUrl)).bytes(), text, request);
  }

  @Override
  public List<SearchHit> search(byte[] encoded, String text, SearchRequest request) throws ImageRejected, IOException {
    return counted(loupe.search(loupe.analyzer().analyzeQuery(encoded), understandsText() ? text : null, request));
  }

  @Override
  public boolean understandsText() {
    return loupe.embeddingModel().map(m -> m.understandsText()).orElse(false);
  }

  @Override
  public Map<String, Double> textSimilarity(String text, List<String> ids) throws IOException {
    if (!understandsText() || loupe.embeddings().isEmpty()) {
      throw new UnsupportedOperationException("no text-capable embedding model is set");
    }
    float[] words = loupe.embeddingModel().orElseThrow().embedText(text);
    EmbeddingIndex vectors = loupe.embeddings().orElseThrow();
    Map<String, Double> cosines = new LinkedHashMap<>();
    for (String id : ids) {
      Optional<float[]> vector = vectors.vector(id);
      if (vector.isPresent()) {
        cosines.put(id, cosine(words, vector.get()));
      }
    }
    return cosines;
  }

  /** Both vectors are unit length (the model normalises them), so their dot product is the cosine. */
  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      dot += (double) a[i] * b[i];
    }
    return dot;
  }
}
