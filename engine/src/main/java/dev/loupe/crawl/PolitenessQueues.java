package dev.loupe.crawl;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One queue of work per host, and the rule that keeps the crawl polite: a host has at most one
 * request in flight, and its next request starts no earlier than its delay after the previous one
 * ended. Workers {@link #take()} the next task whose host is ready and {@link #release} the host
 * when done, naming the delay before its next request (robots.txt {@code Crawl-delay}, else the
 * crawl's default).
 *
 * <p>Thread-safe. Cost per operation is logarithmic in the number of hosts with work waiting.
 *
 * @param <T> the task type
 */
final class PolitenessQueues<T> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Host<T>> hosts = new HashMap<>();
  private final PriorityQueue<Host<T>> ready =
      new PriorityQueue<>(Comparator.comparingLong((Host<T> h) -> h.notBefore));
  private int busy;
  private long queued;
  private boolean stopped;

  private static final class Host<T> {
    final String key;
    final ArrayDeque<T> tasks = new ArrayDeque<>();
    long notBefore;
    boolean busy;
    boolean waiting;

    Host(String key) {
      this.key = key;
    }
  }

  /** A task and the host it was taken from; pass it back to {@link #release}. */
  record Taken<T>(String host, T task) {}

  /** Adds a task at the end of its host's queue. */
  void add(String host, T task) {
    lock.lock();
    try {
      Host<T> h = hosts.computeIfAbsent(host, Host::new);
      h.tasks.addLast(task);
      queued++;
      schedule(h);
    } finally {
      lock.unlock();
    }
  }

  /** Puts a task back at the head of its host's queue (while the host is held). */
  void addFirst(String host, T task) {
    lock.lock();
    try {
      Host<T> h = hosts.computeIfAbsent(host, Host::new);
      h.tasks.addFirst(task);
      queued++;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next task whose host is idle and past its delay, waiting as needed; null when every queue
   * is empty and no task is in flight (no more work can appear), or after {@link #stop()}.
   */
  Taken<T> take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (stopped) {
          return null;
        }
        Host<T> next = ready.peek();
        if (next == null) {
          if (busy == 0) {
            changed.signalAll();
            return null;
          }
          changed.await();
          continue;
        }
        long wait = next.notBefore - System.nanoTime();
        if (wait > 0) {
          changed.awaitNanos(wait);
          continue;
        }
        ready.poll();
        next.waiting = false;
        next.busy = true;
        busy++;
        queued--;
        return new Taken<>(next.key, next.tasks.pollFirst());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Frees the task's host; its next request may start {@code delayNanos} from now. */
  void release(Taken<T> taken, long delayNanos) {
    lock.lock();
    try {
      Host<T> h = hosts.get(taken.host());
      h.busy = false;
      busy--;
      h.notBefore = System.nanoTime() + Math.max(0, delayNanos);
      schedule(h);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Makes every {@link #take()} return null; tasks left stay where they are (in the frontier). */
  void stop() {
    lock.lock();
    try {
      stopped = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Tasks waiting, all hosts together. */
  long queued() {
    lock.lock();
    try {
      return queued;
    } finally {
      lock.unlock();
    }
  }

  /** Hosts that have had work. */
  int hosts() {
    lock.lock();
    try {
      return hosts.size();
    } finally {
      lock.unlock();
    }
  }

  private void schedule(Host<T> h) {
    if (!h.busy && !h.waiting && !h.tasks.isEmpty()) {
      h.waiting = true;
      ready.add(h);
      changed.signalAll();
    }
  }

}
