package dev.loupe.server;

import dev.loupe.protocol.ApiException;
import dev.loupe.server.http.ErrorMapping;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control for the CPU-heavy routes: image search and add, Responses, Chat Completions
 * and DashScope generation. Each such request runs on one of {@link ServerLimits#heavySlots()}
 * platform worker threads; up to {@link ServerLimits#heavyQueue()} more wait for one, at most
 * {@link ServerLimits#queueWait()}. A request that finds the queue full is answered at once with
 * 429, one that waited too long with 503, both with {@code Retry-After}, in the error envelope of
 * its protocol.
 *
 * <p>Why platform threads: Helidon runs every request on a virtual thread, and virtual threads
 * share one carrier per core. Pixel decoding, feature extraction and Lucene search do not yield,
 * so two heavy requests on a 2-core machine held both carriers and {@code /healthz} waited behind
 * them for seconds. On workers of their own the heavy requests are time-sliced by the operating
 * system like any thread, and the carriers stay free for health checks and light routes. The
 * request's virtual thread waits for its worker; the handler's writes (including a whole event
 * stream) happen on the worker.
 *
 * <p>Thread-safe; one per server. {@link #close()} stops the workers.
 */
final class AdmissionGate implements Filter, AutoCloseable {
  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int ABANDONED = 2;

  private final ServerLimits limits;
  private final ThreadPoolExecutor workers;
  private final AtomicLong rejected = new AtomicLong();

  AdmissionGate(ServerLimits limits) {
    this.limits = limits;
    AtomicInteger number = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(limits.heavySlots(), limits.heavySlots(), 0, TimeUnit.SECONDS,
        limits.heavyQueue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(limits.heavyQueue()),
        task -> Thread.ofPlatform().name("loupe-heavy-" + number.incrementAndGet()).daemon(true).unstarted(task));
    this.workers.prestartAllCoreThreads();
  }

  /** Whether {@code method path} is one of the heavy routes, under any protocol prefix. */
  static boolean heavy(Method method, String path) {
    if (method != Method.POST) {
      return false;
    }
    return path.equals("/v1/images") || path.equals("/v1/images/search") || path.endsWith("/responses")
        || path.endsWith("/chat/completions") || path.startsWith("/api/v1/services/");
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
    String path = request.path().path();
    if (!heavy(request.prologue().method(), path)) {
      chain.proceed();
      return;
    }
    AtomicInteger state = new AtomicInteger(QUEUED);
    CountDownLatch started = new CountDownLatch(1);
    FutureTask<Void> task = new FutureTask<>(() -> {
      if (state.compareAndSet(QUEUED, RUNNING)) {
        started.countDown();
        chain.proceed();
      }
      return null;
    });
    try {
      workers.execute(task);
    } catch (RejectedExecutionException e) {
      refuse(request, response, full());
      return;
    }
    try {
      if (!started.await(limits.queueWait().toNanos(), TimeUnit.NANOSECONDS)
          && state.compareAndSet(QUEUED, ABANDONED)) {
        workers.remove(task);
        refuse(request, response, ApiException.overloaded("The server is busy: no worker was free within "
            + limits.queueWait().toMillis() + " ms. Retry after " + retryAfter() + " s.", retryAfter()));
        return;
      }
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      state.compareAndSet(QUEUED, ABANDONED);
      throw new IllegalStateException("interrupted while waiting for a worker", e);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  private ApiException full() {
    return ApiException.rateLimited("Too many requests: " + limits.heavySlots() + " are running and "
        + limits.heavyQueue() + " waiting, the most this server takes. Retry after " + retryAfter() + " s.",
        retryAfter());
  }

  private void refuse(RoutingRequest request, RoutingResponse response, ApiException error) {
    rejected.incrementAndGet();
    ErrorMapping.send(request, response, error);
  }

  private int retryAfter() {
    return (int) Math.max(1, (limits.queueWait().toMillis() + 999) / 1000);
  }

  /** Whether every slot is busy and the queue full: new heavy requests would be refused. */
  boolean saturated() {
    return workers.getActiveCount() >= limits.heavySlots()
        && workers.getQueue().size() >= limits.heavyQueue();
  }

  /** Heavy requests running now. */
  int running() {
    return workers.getActiveCount();
  }

  /** Heavy requests waiting for a slot now. */
  int waiting() {
    return workers.getQueue().size();
  }

  /** Heavy requests refused with 429 or 503 since start. */
  long refused() {
    return rejected.get();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
