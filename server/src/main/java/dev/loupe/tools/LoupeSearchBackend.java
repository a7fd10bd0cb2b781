package dev.loupe.tools;

import dev.loupe.engine.Loupe;
import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** {@link ImageSearchBackend} over an open engine; the caller keeps ownership of the engine. */
public record LoupeSearchBackend(Loupe loupe) implements ImageSearchBackend {
  public LoupeSearchBackend {
    Objects.requireNonNull(loupe, "loupe");
  }

  @Override
  public List<SearchHit> search(String imageUrl, SearchRequest request)
      throws FetchException, ImageRejected, IOException {
    return loupe.search(imageUrl, request);
  }

  @Override
  public void check(String dataUrl) throws FetchException, ImageRejected {
    // A data URL is decoded locally: no network access happens here.
    new ImageLoader(loupe.config().limits()).probe(loupe.fetcher().read(dataUrl).bytes());
  }

  @Override
  public List<SearchHit> search(byte[] encoded, SearchRequest request) throws ImageRejected, IOException {
    return loupe.search(encoded, request);
  }

  @Override
  public List<SearchHit> search(String imageUrl, String text, SearchRequest request)
      throws FetchException, ImageRejected, IOException {
    return search(loupe.fetcher().read(imageUrl).bytes(), text, request);
  }

  @Override
  public List<SearchHit> search(byte[] encoded, String text, SearchRequest request) throws ImageRejected, IOException {
    return loupe.search(loupe.analyzer().analyzeQuery(encoded), understandsText() ? text : null, request);
  }

  @Override
  public boolean understandsText() {
    return loupe.embeddingModel().map(m -> m.understandsText()).orElse(false);
  }
}
