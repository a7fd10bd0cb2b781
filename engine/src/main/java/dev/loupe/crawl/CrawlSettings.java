package dev.loupe.crawl;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a crawl behaves. Every limit counts within one run.
 *
 * @param robotName the crawler's token in robots.txt groups and {@code X-Robots-Tag} scopes;
 *     default {@code loupebot}
 * @param userAgent the {@code User-Agent} header, which must contain the token; default
 *     {@code Mozilla/5.0 (compatible; LoupeBot/0.1; self-hosted image search)}
 * @param scope which linked pages are followed; default {@link CrawlScope#HOST}
 * @param include when not null, only page URLs this pattern finds are followed (seeds and
 *     sitemap pages too); default null
 * @param maxDepth most links followed from a seed; default 3
 * @param maxPages most pages fetched; default 1000
 * @param maxImages most image sightings taken; default 10000
 * @param maxHosts most distinct hosts contacted (scheme, host and port); default 50
 * @param maxBytes most response bytes read, all fetches together; the crawl stops when passed;
 *     default 1 GiB
 * @param defaultDelay the pause between two requests to one host when its robots.txt names no
 *     {@code Crawl-delay}; default 1 s
 * @param workers concurrent requests, all hosts together (each host still has at most one);
 *     default 16
 * @param commitInterval how often the index is committed and finished tasks recorded; default 10 s
 */
public record CrawlSettings(String robotName, String userAgent, CrawlScope scope, Pattern include,
    int maxDepth, long maxPages, long maxImages, int maxHosts, long maxBytes, Duration defaultDelay,
    int workers, Duration commitInterval) {
  public CrawlSettings {
    Objects.requireNonNull(robotName, "robotName");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(scope, "scope");
    if (!robotName.matches("[A-Za-z_-]+")) {
      throw new IllegalArgumentException(
          "robotName must be letters, '_' and '-' (RFC 9309), got: " + robotName);
    }
    if (!userAgent.toLowerCase(Locale.ROOT).contains(robotName.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "userAgent must contain the robot name " + robotName + ", got: " + userAgent);
    }
    requireAtLeast("maxDepth", maxDepth, 0);
    requireAtLeast("maxPages", maxPages, 0);
    requireAtLeast("maxImages", maxImages, 0);
    requireAtLeast("maxHosts", maxHosts, 1);
    requireAtLeast("maxBytes", maxBytes, 1);
    requireAtLeast("workers", workers, 1);
    Objects.requireNonNull(defaultDelay, "defaultDelay");
    if (defaultDelay.isNegative()) {
      throw new IllegalArgumentException("defaultDelay must not be negative, got: " + defaultDelay);
    }
    Objects.requireNonNull(commitInterval, "commitInterval");
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commitInterval must be positive, got: " + commitInterval);
    }
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got: " + value);
    }
  }

  public static CrawlSettings defaults() {
    return new CrawlSettings("loupebot", "Mozilla/5.0 (compatible; LoupeBot/0.1; self-hosted image search)",
        CrawlScope.HOST, null, 3, 1000, 10_000, 50, 1L << 30, Duration.ofSeconds(1), 16,
        Duration.ofSeconds(10));
  }

  public CrawlSettings withScope(CrawlScope s, Pattern pattern) {
    return new CrawlSettings(robotName, userAgent, s, pattern, maxDepth, maxPages, maxImages,
        maxHosts, maxBytes, defaultDelay, workers, commitInterval);
  }

  public CrawlSettings withLimits(int depth, long pages, long images, int hosts, long bytes) {
    return new CrawlSettings(robotName, userAgent, scope, include, depth, pages, images, hosts,
        bytes, defaultDelay, workers, commitInterval);
  }

  public CrawlSettings withDefaultDelay(Duration delay) {
    return new CrawlSettings(robotName, userAgent, scope, include, maxDepth, maxPages, maxImages,
        maxHosts, maxBytes, delay, workers, commitInterval);
  }

  public CrawlSettings withWorkers(int n) {
    return new CrawlSettings(robotName, userAgent, scope, include, maxDepth, maxPages, maxImages,
        maxHosts, maxBytes, defaultDelay, n, commitInterval);
  }
}
