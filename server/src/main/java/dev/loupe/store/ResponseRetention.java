package dev.loupe.store;

import java.time.Duration;

/**
 * How long and how much the response store keeps: after each save, responses older than {@code
 * maxAge} are deleted, then the oldest ones until the store's bytes (documents plus images) are at
 * most {@code maxBytes}; images no longer referenced go with them. The response just saved is
 * never deleted by its own save, even when it alone exceeds {@code maxBytes}.
 *
 * @param maxAge the oldest a response may get; default {@link #DEFAULT_MAX_AGE} (30 days)
 * @param maxBytes the most bytes of documents and images kept; default {@link #DEFAULT_MAX_BYTES} (1 GiB)
 */
public record ResponseRetention(Duration maxAge, long maxBytes) {
  /** Default {@link #maxAge()}: 30 days. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);
  /** Default {@link #maxBytes()}: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  public ResponseRetention {
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("the maximum age of stored responses must be positive, got: " + maxAge);
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("the maximum size of stored responses must be positive, got: " + maxBytes);
    }
  }

  /** 30 days, 1 GiB. */
  public static ResponseRetention defaults() {
    return new ResponseRetention(DEFAULT_MAX_AGE, DEFAULT_MAX_BYTES);
  }
}
