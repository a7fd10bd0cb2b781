package dev.loupe.testing;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one seed of every randomized test: {@code -Dtests.seed=N}, else a fixed default so that a
 * plain local run gives the same answer every time. {@code .ci/run} passes a fresh seed on each run
 * and prints it first, so a CI failure is reproducible from its log.
 *
 * <p>A test class that calls {@link #value()} (directly, through {@link #random(long)}, or through a
 * fixture it calls) is marked as randomized; {@link SeedReporter} then attaches the seed and the
 * rerun flag to its failures.
 */
public final class TestSeed {
  /** The system property that carries the seed. */
  public static final String PROPERTY = "tests.seed";

  private static final long DEFAULT = 20261121L;
  private static final Set<Class<?>> CALLERS = ConcurrentHashMap.newKeySet();
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private TestSeed() {}

  /** The seed of this run. */
  public static long value() {
    WALKER.forEach(frame -> CALLERS.add(frame.getDeclaringClass()));
    return Long.getLong(PROPERTY, DEFAULT);
  }

  /**
   * A generator for one stream of a test: the run's seed mixed with {@code stream}, so that two
   * streams of one test differ and each follows the run's seed.
   */
  public static Random random(long stream) {
    return new Random(value() * 0x9E3779B97F4A7C15L + stream);
  }

  /** {@code " (seed N, rerun with -Dtests.seed=N)"}, for assertion messages. */
  public static String rerunHint() {
    long seed = value();
    return " (seed " + seed + ", rerun with -D" + PROPERTY + "=" + seed + ")";
  }

  /** Whether code of {@code testClass} asked for the seed at any point of this run. */
  static boolean usedBy(Class<?> testClass) {
    return CALLERS.contains(testClass);
  }
}
