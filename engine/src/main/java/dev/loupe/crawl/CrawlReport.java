package dev.loupe.crawl;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a crawl run did.
 *
 * @param resumed whether it continued an interrupted run
 * @param pagesFetched pages and sitemaps read with a 200
 * @param pagesUnchanged pages answered 304 Not Modified to a conditional GET
 * @param newImages distinct images added
 * @param newOccurrences sightings of known images on a new page
 * @param seenAgain sightings of a known image on a known page (last-seen time moved)
 * @param skipped URLs not fetched, counted by reason ({@code robots.txt}, {@code noindex},
 *     {@code page limit}, …)
 * @param failures fetches and images that failed, with their precise messages, in order
 * @param bytes response bytes read
 * @param elapsed wall time
 */
public record CrawlReport(boolean resumed, long pagesFetched, long pagesUnchanged, long newImages,
    long newOccurrences, long seenAgain, Map<String, Long> skipped, List<CrawlFailure> failures,
    long bytes, Duration elapsed) {
  public CrawlReport {
    skipped = Map.copyOf(skipped);
    failures = List.copyOf(failures);
  }

  /** Image sightings indexed. */
  public long images() {
    return newImages + newOccurrences + seenAgain;
  }
}
