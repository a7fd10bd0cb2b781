package dev.loupe.app;

import dev.loupe.ingest.IngestProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Prints ingest progress to standard error: a bar redrawn in place on a terminal, a plain line
 * every few seconds otherwise (logs, CI), so neither floods the output.
 */
final class ProgressLine implements Consumer<IngestProgress> {
  private static final int BAR = 24;
  private final PrintWriter err;
  private final boolean terminal;
  private final long intervalNanos;
  private long lastPrint;
  private boolean printed;
  private long lastProcessed = -1;

  ProgressLine(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
    this.intervalNanos = terminal ? 100_000_000L : 5_000_000_000L;
  }

  @Override
  public void accept(IngestProgress p) {
    long now = System.nanoTime();
    boolean last = p.total() >= 0 && p.processed() >= p.total();
    if (printed && p.processed() == lastProcessed) {
      return; // Nothing new (the final commit reports the same count again).
    }
    if (!last && printed && now - lastPrint < intervalNanos) {
      return;
    }
    lastProcessed = p.processed();
    print(format(p), now);
  }

  /** Shows a line of another kind of progress (a crawl's), throttled like ingest progress. */
  void show(String line, boolean last) {
    long now = System.nanoTime();
    if (!last && printed && now - lastPrint < intervalNanos) {
      return;
    }
    print(line, now);
  }

  private void print(String line, long now) {
    lastPrint = now;
    printed = true;
    if (terminal) {
      err.print("\r" + line + "\u001b[K");
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** Ends the in-place line on a terminal. */
  void finish() {
    if (terminal && printed) {
      err.println();
      err.flush();
    }
  }

  static String format(IngestProgress p) {
    StringBuilder s = new StringBuilder();
    if (p.total() > 0) {
      int filled = (int) (BAR * Math.min(1.0, (double) p.processed() / p.total()));
      s.append('[').append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ");
      s.append(p.processed()).append('/').append(p.total());
      s.append(String.format(" %5.1f%%", 100.0 * p.processed() / p.total()));
    } else {
      s.append(p.processed());
    }
    s.append(String.format("  %.1f img/s", p.rate()));
    Duration eta = p.eta();
    if (eta != null) {
      s.append("  ETA ").append(clock(eta));
    }
    if (p.failed() > 0) {
      s.append("  ").append(p.failed()).append(" failed");
    }
    if (p.skipped() > 0) {
      s.append("  ").append(p.skipped()).append(" already indexed");
    }
    return s.toString();
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return s >= 3600
        ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
