package dev.loupe.crawl;

import java.time.Duration;

/**
 * A snapshot of a running crawl.
 *
 * @param pages pages and sitemaps fetched (unchanged ones included)
 * @param images image sightings indexed (new images, new occurrences and sightings again)
 * @param failed fetches or images that failed
 * @param skipped URLs not fetched: refused by robots.txt, opted out, out of a limit
 * @param queued tasks waiting
 * @param hosts hosts contacted
 * @param bytes response bytes read
 * @param elapsed time since the crawl started
 */
public record CrawlProgress(long pages, long images, long failed, long skipped, long queued,
    int hosts, long bytes, Duration elapsed) {
  /** Image sightings per second so far. */
  public double imageRate() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : images / seconds;
  }

  /** The progress line the command line prints. */
  public String line() {
    return String.format("%d pages, %d images (%.1f/s), %d failed, %d skipped, %d queued, %d hosts",
        pages, images, imageRate(), failed, skipped, queued, hosts);
  }
}
