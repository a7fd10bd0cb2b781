package dev.loupe.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link Ingestor}.
 *
 * @param threads worker threads that fetch, decode and sign; default: available processors
 * @param commitEvery commit after this many processed records; default 1000
 * @param commitInterval and at least this often while records keep coming; default 10 s
 * @param skipKnownSources skip records whose location is already an occurrence in the index, so
 *     that an interrupted ingest resumes where it stopped; default true
 * @param maxPerHost at most this many fetches in flight to one host (scheme, host and port);
 *     default 2
 */
public record IngestSettings(int threads, int commitEvery, Duration commitInterval, boolean skipKnownSources,
    int maxPerHost) {
  public IngestSettings {
    if (maxPerHost < 1) {
      throw new IllegalArgumentException("maxPerHost must be at least 1, got: " + maxPerHost);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got: " + threads);
    }
    if (commitEvery < 1) {
      throw new IllegalArgumentException("commitEvery must be at least 1, got: " + commitEvery);
    }
    Objects.requireNonNull(commitInterval, "commitInterval");
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commitInterval must be positive, got: " + commitInterval);
    }
  }

  public static IngestSettings defaults() {
    return new IngestSettings(Runtime.getRuntime().availableProcessors(), 1000, Duration.ofSeconds(10), true, 2);
  }

  public IngestSettings withThreads(int n) {
    return new IngestSettings(n, commitEvery, commitInterval, skipKnownSources, maxPerHost);
  }

  public IngestSettings withCommitEvery(int n) {
    return new IngestSettings(threads, n, commitInterval, skipKnownSources, maxPerHost);
  }

  public IngestSettings withSkipKnownSources(boolean skip) {
    return new IngestSettings(threads, commitEvery, commitInterval, skip, maxPerHost);
  }

  public IngestSettings withMaxPerHost(int n) {
    return new IngestSettings(threads, commitEvery, commitInterval, skipKnownSources, n);
  }
}
