package dev.loupe.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs {@code image_search} calls. Thread-safe if the backend is.
 *
 * <pre>{@code
 * var tool = new ImageSearchTool(new LoupeSearchBackend(loupe), 100, id -> base + "/v1/images/" + id + "/content");
 * ImageSearchResult r = tool.run(ImageSearchArguments.ofUrl("https://example.org/a.jpg", null, 10));
 * r.output(); // [{"index":1,"title":"…","url":"…","id":"…","page_url":…,"score":0.97,"match":"near_duplicate",…}]
 * }</pre>
 *
 * <p>The output keeps the three fields the seeds read first ({@code index}, {@code title}, {@code
 * url}; contract 2.4), then Loupe's additive fields {@code id}, {@code page_url}, {@code score},
 * {@code match}, {@code first_seen}, {@code width}, {@code height}, {@code last_seen}, {@code
 * occurrences}, and when they apply {@code other_occurrences} and {@code differences} ({@link
 * HitJson}). A hit without its own URL (a local file) gets the URL {@code contentUrl} builds from
 * its id, because the seeds print {@code url} unconditionally.
 */
public final class ImageSearchTool {
  /** The tool's name in {@code tools[].type}, item types and {@code usage.x_tools}. */
  public static final String NAME = "image_search";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ImageSearchBackend backend;
  private final int maxResults;
  private final Function<String, String> contentUrl;

  /**
   * @param backend the engine
   * @param maxResults most results one call returns, 1 to {@link SearchRequest#MAX_TOP_K}; the EN
   *     and CN seeds say 100, the JP seed 10 (contract 2.2)
   * @param contentUrl builds the URL of a stored image from its id, for hits without a URL
   */
  public ImageSearchTool(ImageSearchBackend backend, int maxResults, Function<String, String> contentUrl) {
    this.backend = Objects.requireNonNull(backend, "backend");
    if (maxResults < 1 || maxResults > SearchRequest.MAX_TOP_K) {
      throw new IllegalArgumentException(
          "maxResults must be between 1 and " + SearchRequest.MAX_TOP_K + ", got: " + maxResults);
    }
    this.maxResults = maxResults;
    this.contentUrl = Objects.requireNonNull(contentUrl, "contentUrl");
  }

  /** Most results one call returns. */
  public int maxResults() {
    return maxResults;
  }

  /** Whether the user's words steer the ranking and {@link #textSimilarity} works. */
  public boolean understandsText() {
    return backend.understandsText();
  }

  /**
   * How well each image matches the words: the cosine between their vectors, for the ids that have
   * a stored vector (others are left out).
   *
   * @throws UnsupportedOperationException if {@link #understandsText()} is false
   */
  public Map<String, Double> textSimilarity(String text, List<String> ids) throws IOException {
    return backend.textSimilarity(text, ids);
  }

  /**
   * Reads an image before any run starts (an http(s) URL under the engine's fetch policy, a data URL
   * locally) and checks its header, so that a protocol refuses an image it cannot use with an HTTP
   * error rather than a failed stream (contract 8.3). Hand the result to {@link #withFetched} so
   * that the run searches these bytes instead of fetching the URL again.
   *
   * @throws ImageSearchFailed with the code of contract 8.3, for example {@code image_too_small} or
   *     {@code image_fetch_failed}
   */
  public FetchedImage fetch(String imageUrl) throws ImageSearchFailed {
    try {
      return backend.fetch(imageUrl);
    } catch (ImageRejected e) {
      throw ImageSearchFailed.of(e);
    } catch (FetchException e) {
      throw ImageSearchFailed.of(e);
    }
  }

  /**
   * This tool, searching the images already read by {@link #fetch} for their URLs: a search by one
   * of these URLs uses its bytes, any other URL is fetched as usual.
   */
  public ImageSearchTool withFetched(Map<String, FetchedImage> images) {
    if (images.isEmpty()) {
      return this;
    }
    return new ImageSearchTool(new FetchedFirst(backend, Map.copyOf(images)), maxResults, contentUrl);
  }

  /** A backend that searches already fetched bytes for the URLs it knows. */
  private record FetchedFirst(ImageSearchBackend backend, Map<String, FetchedImage> images)
      implements ImageSearchBackend {
    @Override
    public List<SearchHit> search(String imageUrl, SearchRequest request)
        throws FetchException, ImageRejected, IOException {
      FetchedImage known = images.get(imageUrl);
      return known != null ? backend.search(known.bytes(), request) : backend.search(imageUrl, request);
    }

    @Override
    public List<SearchHit> search(String imageUrl, String text, SearchRequest request)
        throws FetchException, ImageRejected, IOException {
      FetchedImage known = images.get(imageUrl);
      return known != null ? backend.search(known.bytes(), text, request) : backend.search(imageUrl, text, request);
    }

    @Override
    public FetchedImage fetch(String imageUrl) throws FetchException, ImageRejected {
      FetchedImage known = images.get(imageUrl);
      return known != null ? known : backend.fetch(imageUrl);
    }

    @Override
    public List<SearchHit> search(byte[] encoded, SearchRequest request) throws ImageRejected, IOException {
      return backend.search(encoded, request);
    }

    @Override
    public List<SearchHit> search(byte[] encoded, String text, SearchRequest request)
        throws ImageRejected, IOException {
      return backend.search(encoded, text, request);
    }

    @Override
    public boolean understandsText() {
      return backend.understandsText();
    }

    @Override
    public Map<String, Double> textSimilarity(String text, List<String> ids) throws IOException {
      return backend.textSimilarity(text, ids);
    }
  }

  /**
   * Searches one image. Blocks for the fetch and the search; call it from a virtual thread.
   *
   * @throws ImageSearchFailed when the image cannot be fetched or decoded; the code names why
   */
  public ImageSearchResult run(ImageSearchArguments arguments) throws ImageSearchFailed {
    SearchRequest request = SearchRequest.defaults().withTopK(Math.min(arguments.count(), maxResults));
    List<SearchHit> hits;
    try {
      // The user's words steer the similar images when the engine has a text-capable model.
      hits = arguments.imageUrl() != null
          ? backend.search(arguments.imageUrl(), arguments.query(), request)
          : backend.search(arguments.imageBytes(), arguments.query(), request);
    } catch (ImageRejected e) {
      throw ImageSearchFailed.of(e);
    } catch (FetchException e) {
      throw ImageSearchFailed.of(e);
    } catch (IOException e) {
      throw new ImageSearchFailed("server_error", "image search failed: " + e.getMessage(), e);
    }
    List<String> urls = new ArrayList<>(hits.size());
    ArrayNode list = JSON.createArrayNode();
    for (SearchHit hit : hits) {
      String url = hit.url() != null ? hit.url() : contentUrl.apply(hit.id());
      urls.add(url);
      list.add(HitJson.fields(hit, url));
    }
    try {
      return new ImageSearchResult(hits, urls, JSON.writeValueAsString(list));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
