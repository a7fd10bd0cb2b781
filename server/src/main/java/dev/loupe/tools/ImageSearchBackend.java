package dev.loupe.tools;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What the {@code image_search} tool needs from a search engine. {@link LoupeSearchBackend} is the
 * implementation over an open {@link dev.loupe.engine.Loupe}; tests may supply their own.
 * Implementations must be thread-safe: concurrent responses call them from their own threads.
 */
public interface ImageSearchBackend {
  /** Searches with the image at an http(s) or data URL, fetched under the engine's fetch policy. */
  List<SearchHit> search(String imageUrl, SearchRequest request) throws FetchException, ImageRejected, IOException;

  /**
   * Reads an image without searching: an http(s) URL fetched under the engine's fetch policy, a
   * data URL decoded locally, and its header read against the engine's limits (no pixels are
   * decoded), so that a protocol can refuse an image it cannot use with an HTTP error before a
   * stream starts (contract 8.3), and search the same bytes later.
   */
  FetchedImage fetch(String imageUrl) throws FetchException, ImageRejected;

  /** Searches with encoded image bytes. */
  List<SearchHit> search(byte[] encoded, SearchRequest request) throws ImageRejected, IOException;

  /**
   * As {@link #search(String, SearchRequest)}, with the user's words ({@code text}, may be null)
   * steering the ranking of similar images when the engine has a text-capable embedding model; an
   * engine without one ignores them ({@link #understandsText()}).
   */
  default List<SearchHit> search(String imageUrl, String text, SearchRequest request)
      throws FetchException, ImageRejected, IOException {
    return search(imageUrl, request);
  }

  /** As {@link #search(byte[], SearchRequest)}, with the user's words steering the ranking. */
  default List<SearchHit> search(byte[] encoded, String text, SearchRequest request) throws ImageRejected, IOException {
    return search(encoded, request);
  }

  /** Whether the user's words change the ranking (a text-capable embedding model is set). */
  default boolean understandsText() {
    return false;
  }

  /**
   * The cosine between the words' vector and each image's stored vector, for the images that have
   * one (an image indexed before the model was set has none until {@code loupe reembed}).
   *
   * @throws UnsupportedOperationException if {@link #understandsText()} is false
   */
  default Map<String, Double> textSimilarity(String text, List<String> ids) throws IOException {
    throw new UnsupportedOperationException("no text-capable embedding model is set");
  }
}
