package dev.loupe.ingest;

/**
 * A record that could not be indexed.
 *
 * @param location the record's location
 * @param reason a short label for counting failures by kind, for example {@code HTTP 404}, {@code
 *     timeout}, {@code not an image} (see {@link FailureReasons})
 * @param message the reason in words, naming the value that failed
 */
public record IngestFailure(String location, String reason, String message) {
  /** A failure without a known kind: its reason is {@code other}. */
  public IngestFailure(String location, String message) {
    this(location, FailureReasons.OTHER, message);
  }
}
