package dev.loupe.ingest;

import java.time.Duration;

/**
 * A snapshot of a running ingest.
 *
 * @param processed records finished so far (indexed, skipped or failed)
 * @param failed records that could not be indexed
 * @param skipped records skipped because their source was already indexed
 * @param committed records made durable by the last commit
 * @param total records in the source, or -1 when unknown
 * @param elapsed time since the ingest started
 */
public record IngestProgress(long processed, long failed, long skipped, long committed, long total, Duration elapsed) {
  /** Records per second so far. */
  public double rate() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : processed / seconds;
  }

  /** Estimated time left, or null when the total is unknown or nothing is done yet. */
  public Duration eta() {
    double rate = rate();
    if (total < 0 || rate <= 0) {
      return null;
    }
    return Duration.ofMillis((long) (Math.max(0, total - processed) / rate * 1000));
  }
}
