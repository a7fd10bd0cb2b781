package dev.loupe.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How much load {@link LoupeServer} takes on before it refuses more: connection limits and
 * timeouts of the listener, and the admission control of CPU-heavy routes ({@link AdmissionGate}).
 *
 * @param maxConnections open TCP connections at most; more wait in the kernel's backlog until one
 *     closes, so clients can never exhaust the process's file descriptors; default {@code 1000}
 * @param idleTimeout how long a kept-alive connection may sit between requests before it is
 *     closed; default 60 s
 * @param readTimeout how long a client may stay silent in the middle of a request (a body that
 *     stops arriving) before the request ends with 408 {@code request_timeout} and the connection
 *     closes, so that a stalled upload never holds a worker; default 30 s
 * @param heavySlots requests of CPU-heavy routes (search, add, Responses, Chat, DashScope) that run
 *     at once, each on a worker thread of its own; default the number of cores
 * @param heavyQueue heavy requests that may wait for a slot; one more is refused at once with 429
 *     and {@code Retry-After}; default four per slot
 * @param queueWait longest wait for a slot; past it the request is refused with 503 and {@code
 *     Retry-After}; default 2 s
 */
public record ServerLimits(int maxConnections, Duration idleTimeout, Duration readTimeout, int heavySlots,
    int heavyQueue, Duration queueWait) {
  /** Default {@link #maxConnections()}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1000;
  /** Default {@link #idleTimeout()}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** Default {@link #readTimeout()}. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  /** Default {@link #queueWait()}. */
  public static final Duration DEFAULT_QUEUE_WAIT = Duration.ofSeconds(2);

  public ServerLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, got: " + maxConnections);
    }
    positive("idleTimeout", idleTimeout);
    positive("readTimeout", readTimeout);
    if (heavySlots < 1) {
      throw new IllegalArgumentException("heavySlots must be at least 1, got: " + heavySlots);
    }
    if (heavyQueue < 0) {
      throw new IllegalArgumentException("heavyQueue must be at least 0, got: " + heavyQueue);
    }
    Objects.requireNonNull(queueWait, "queueWait");
    if (queueWait.isNegative()) {
      throw new IllegalArgumentException("queueWait must not be negative, got: " + queueWait);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, got: " + value);
    }
  }

  /** The defaults listed on each component, sized to this machine's cores. */
  public static ServerLimits defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new ServerLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, DEFAULT_READ_TIMEOUT, cores,
        4 * cores, DEFAULT_QUEUE_WAIT);
  }

  public ServerLimits withMaxConnections(int n) {
    return new ServerLimits(n, idleTimeout, readTimeout, heavySlots, heavyQueue, queueWait);
  }

  public ServerLimits withIdleTimeout(Duration d) {
    return new ServerLimits(maxConnections, d, readTimeout, heavySlots, heavyQueue, queueWait);
  }

  public ServerLimits withReadTimeout(Duration d) {
    return new ServerLimits(maxConnections, idleTimeout, d, heavySlots, heavyQueue, queueWait);
  }

  public ServerLimits withAdmission(int slots, int queue, Duration wait) {
    return new ServerLimits(maxConnections, idleTimeout, readTimeout, slots, queue, wait);
  }
}
