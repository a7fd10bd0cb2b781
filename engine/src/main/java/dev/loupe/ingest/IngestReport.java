package dev.loupe.ingest;

import java.time.Duration;
import java.util.List;

/**
 * What an ingest did.
 *
 * @param newImages distinct images added
 * @param newOccurrences sightings added to images already stored
 * @param seenAgain sightings of a source already stored (its last-seen time moved)
 * @param skipped records skipped because their source was already indexed
 * @param failures records that could not be indexed, in source order
 * @param elapsed wall time including the final commit
 */
public record IngestReport(
    long newImages, long newOccurrences, long seenAgain, long skipped, List<IngestFailure> failures, Duration elapsed) {
  public IngestReport {
    failures = List.copyOf(failures);
  }

  /** Failures counted by {@link IngestFailure#reason()}, most frequent first. */
  public java.util.Map<String, Long> failuresByReason() {
    return FailureReasons.count(failures);
  }

  public long processed() {
    return newImages + newOccurrences + seenAgain + skipped + failures.size();
  }
}
