package dev.loupe.image;

import java.time.Duration;

/**
 * A decode could not reserve its pixel bytes from the {@link PixelBudget} in time. Not a fault of
 * the image: the same request may succeed later, so servers answer 503 with {@code Retry-After}
 * {@link #retryAfter()}.
 */
public final class PixelBudgetExhausted extends RuntimeException {
  private final Duration retryAfter;

  public PixelBudgetExhausted(String message, Duration retryAfter) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
  }

  /** How long a client should wait before trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
