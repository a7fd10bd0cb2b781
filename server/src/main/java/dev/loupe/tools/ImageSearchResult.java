package dev.loupe.tools;

import dev.loupe.search.SearchHit;
import java.util.List;

/**
 * What one {@code image_search} call returned.
 *
 * @param hits the hits, best first, their {@code index} starting at 1
 * @param urls the URL shown for each hit, in the same order: the hit's own URL, or the content URL
 *     the tool built for a local file
 * @param output the hits as the JSON list string that goes into {@code image_search_call.output}
 */
public record ImageSearchResult(List<SearchHit> hits, List<String> urls, String output) {
  public ImageSearchResult {
    hits = List.copyOf(hits);
    urls = List.copyOf(urls);
    if (hits.size() != urls.size()) {
      throw new IllegalArgumentException("hits and urls differ in size: " + hits.size() + " vs " + urls.size());
    }
  }
}
