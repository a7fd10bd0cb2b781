package dev.loupe.tools;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.util.List;

/**
 * What the {@code image_search} tool needs from a search engine. {@link LoupeSearchBackend} is the
 * implementation over an open {@link dev.loupe.engine.Loupe}; tests may supply their own.
 * Implementations must be thread-safe: concurrent responses call them from their own threads.
 */
public interface ImageSearchBackend {
  /** Searches with the image at an http(s) or data URL, fetched under the engine's fetch policy. */
  List<SearchHit> search(String imageUrl, SearchRequest request) throws FetchException, ImageRejected, IOException;

  /**
   * Checks an inline image (a data URL) without searching: decodes the Base64 and reads the image
   * header against the engine's limits. Cheap (no pixels are decoded), so a protocol can refuse a
   * bad upload with an HTTP error before a stream starts (contract 8.3).
   */
  void check(String dataUrl) throws FetchException, ImageRejected;

  /** Searches with encoded image bytes. */
  List<SearchHit> search(byte[] encoded, SearchRequest request) throws ImageRejected, IOException;
}
