package dev.loupe.image;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bytes that decoded pixels may occupy at once, shared by every decode in the process.
 *
 * <p>{@link ImageLoader#decode} reserves an image's peak pixel bytes here before it decodes a
 * single pixel, and gives them back when it returns. A decode that cannot reserve waits up to
 * {@link #maxWait()}, then fails with {@link PixelBudgetExhausted} (the server answers 503 with
 * {@code Retry-After}). A reservation larger than the whole budget is cut to the whole budget: such
 * an image decodes alone rather than never.
 *
 * <p>Accounting is in KiB, rounded up. Thread-safe. The process-wide instance ({@link #process()})
 * defaults to half the maximum Java heap (pixels live in native memory, but the heap limit is the
 * operator's statement of how much memory the process may use); {@code loupe serve --pixel-budget}
 * sets it.
 */
public final class PixelBudget {
  /** Default {@link #maxWait()}: 2 s. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(2);

  private static volatile PixelBudget process = new PixelBudget(Runtime.getRuntime().maxMemory() / 2,
      DEFAULT_MAX_WAIT);

  private final long totalBytes;
  private final int totalKib;
  private final Duration maxWait;
  private final Semaphore kib;

  /**
   * @param totalBytes bytes of pixels at once; at least 1 MiB
   * @param maxWait longest wait for a reservation; not negative
   */
  public PixelBudget(long totalBytes, Duration maxWait) {
    if (totalBytes < 1 << 20) {
      throw new IllegalArgumentException("pixel budget must be at least 1048576 bytes, got: " + totalBytes);
    }
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got: " + maxWait);
    }
    this.totalKib = (int) Math.min(Integer.MAX_VALUE, totalBytes >> 10);
    this.totalBytes = (long) totalKib << 10;
    this.maxWait = maxWait;
    this.kib = new Semaphore(totalKib, true);
  }

  /** The budget every {@link ImageLoader} made without an explicit one uses. */
  public static PixelBudget process() {
    return process;
  }

  /** Replaces the process-wide budget (for {@code loupe serve}; decodes in flight keep the old one). */
  public static void setProcess(PixelBudget budget) {
    process = Objects.requireNonNull(budget, "budget");
  }

  public long totalBytes() {
    return totalBytes;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** Bytes not reserved now. */
  public long availableBytes() {
    return (long) kib.availablePermits() << 10;
  }

  /**
   * Reserves {@code bytes} (at most the whole budget), waiting up to {@link #maxWait()}.
   *
   * @throws PixelBudgetExhausted if the bytes did not free up in time
   */
  public Reservation reserve(long bytes) {
    int wanted = (int) Math.min(totalKib, Math.max(1, (bytes + 1023) >> 10));
    boolean got;
    try {
      got = kib.tryAcquire(wanted, maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      got = false;
    }
    if (!got) {
      throw new PixelBudgetExhausted("The server is decoding too many pixels at once: " + bytes
          + " bytes of pixel memory did not free up within " + maxWait.toMillis() + " ms (budget "
          + totalBytes + " bytes).", maxWait);
    }
    return new Reservation(this, wanted);
  }

  /** Reserved pixel bytes; {@link #close()} gives them back, once. */
  public static final class Reservation implements AutoCloseable {
    private final PixelBudget budget;
    private int kib;

    private Reservation(PixelBudget budget, int kib) {
      this.budget = budget;
      this.kib = kib;
    }

    @Override
    public void close() {
      int released = kib;
      kib = 0;
      if (released > 0) {
        budget.kib.release(released);
      }
    }
  }
}
