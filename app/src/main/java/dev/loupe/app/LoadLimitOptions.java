package dev.loupe.app;

import dev.loupe.image.PixelBudget;
import dev.loupe.server.ServerLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of {@code loupe serve} that bound the load it takes on ({@link ServerLimits}). */
final class LoadLimitOptions {
  private final ServerLimits defaults = ServerLimits.defaults();

  @Option(names = "--max-connections", paramLabel = "N",
      description = "Open connections at most; more wait in the backlog (default: 1000).")
  Integer maxConnections;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS",
      description = "Close a kept-alive connection idle for this long (default: 60).")
  Integer idleTimeoutSeconds;

  @Option(names = "--read-timeout", paramLabel = "SECONDS",
      description = "End a request whose client sends nothing for this long mid-request, with 408 (default: 30).")
  Integer readTimeoutSeconds;

  @Option(names = "--workers", paramLabel = "N",
      description = "Heavy requests (search, add, responses, chat) run at once (default: the number of cores).")
  Integer workers;

  @Option(names = "--queue", paramLabel = "N",
      description = "Heavy requests that may wait for a worker; beyond, 429 with Retry-After (default: 4 per worker).")
  Integer queue;

  @Option(names = "--queue-wait", paramLabel = "MILLIS",
      description = "Longest wait for a worker; beyond, 503 with Retry-After (default: 2000).")
  Integer queueWaitMillis;

  @Option(names = "--pixel-budget", paramLabel = "MIB",
      description = "Decoded pixels held at once by all requests, in MiB (default: half the maximum heap).")
  Long pixelBudgetMib;

  @Option(names = "--pixel-wait", paramLabel = "MILLIS",
      description = "Longest wait for pixel memory; beyond, 503 with Retry-After (default: 2000).")
  Integer pixelWaitMillis;

  /** The process-wide pixel budget these options ask for, or null to keep the default. */
  PixelBudget pixelBudget() {
    if (pixelBudgetMib == null && pixelWaitMillis == null) {
      return null;
    }
    PixelBudget current = PixelBudget.process();
    return new PixelBudget(pixelBudgetMib != null ? pixelBudgetMib << 20 : current.totalBytes(),
        pixelWaitMillis != null ? Duration.ofMillis(pixelWaitMillis) : current.maxWait());
  }

  /** @throws IllegalArgumentException for out-of-range values, naming the limit */
  ServerLimits limits() {
    int slots = workers != null ? workers : defaults.heavySlots();
    return new ServerLimits(
        maxConnections != null ? maxConnections : defaults.maxConnections(),
        idleTimeoutSeconds != null ? Duration.ofSeconds(idleTimeoutSeconds) : defaults.idleTimeout(),
        readTimeoutSeconds != null ? Duration.ofSeconds(readTimeoutSeconds) : defaults.readTimeout(),
        slots,
        queue != null ? queue : 4 * slots,
        queueWaitMillis != null ? Duration.ofMillis(queueWaitMillis) : defaults.queueWait());
  }
}
