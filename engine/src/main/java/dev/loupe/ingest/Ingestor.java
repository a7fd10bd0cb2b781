package dev.loupe.ingest;

import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.AddOutcome;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Ingests sources into an index.
 *
 * <p>Worker threads fetch, decode, sign and thumbnail records ({@link IngestSettings#threads()});
 * at most {@link IngestSettings#maxPerHost()} of them fetch from one host at a time; the calling
 * thread adds the results to the index in source order and commits every
 * {@link IngestSettings#commitEvery()} records or {@link IngestSettings#commitInterval()}, and once at
 * the end. A bad record (unreachable, not an image, over a limit) is reported and skipped; it never
 * stops the ingest or touches the index. One {@code Ingestor} may run several ingests one after
 * another; concurrent calls to {@link #run} on the same index are serialised by the index.
 */
public final class Ingestor {
  private final ImageIndex index;
  private final ImageFetcher fetcher;
  private final ImageAnalyzer analyzer;
  private final IngestSettings settings;
  private final Clock clock;
  /** Embeddings of the ingested images, or null without a model. */
  private final VectorSink vectors;
  /** Where uploads' original bytes are kept, or null when they are not. */
  private final Originals originals;

  public Ingestor(ImageIndex index, ImageFetcher fetcher, ImageAnalyzer analyzer, IngestSettings settings, Clock clock) {
    this(index, fetcher, analyzer, settings, clock, null);
  }

  /** An ingestor that also embeds every image into {@code vectors} (may be null). */
  public Ingestor(ImageIndex index, ImageFetcher fetcher, ImageAnalyzer analyzer, IngestSettings settings, Clock clock,
      VectorSink vectors) {
    this(index, fetcher, analyzer, settings, clock, vectors, null);
  }

  /**
   * An ingestor that embeds into {@code vectors} and keeps the original bytes of uploads (sources
   * {@code upload:sha256:…}) in {@code originals}; either may be null.
   */
  public Ingestor(ImageIndex index, ImageFetcher fetcher, ImageAnalyzer analyzer, IngestSettings settings, Clock clock,
      VectorSink vectors, Originals originals) {
    this.vectors = vectors;
    this.originals = originals;
    this.index = Objects.requireNonNull(index, "index");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Ingestor(ImageIndex index, ImageFetcher fetcher, ImageAnalyzer analyzer, IngestSettings settings) {
    this(index, fetcher, analyzer, settings, Clock.systemUTC());
  }

  /** What adding one image did, and the id it has in the index. */
  public record Added(AddOutcome outcome, String id) {}

  /**
   * Adds one image from bytes already in hand (an upload), without committing.
   *
   * @throws ImageRejected with the precise reason when the bytes are not an acceptable image; the
   *     index is then unchanged
   */
  public Added add(byte[] encoded, ImageRecord record) throws ImageRejected, IOException {
    ImageAnalyzer.Analysis analysis = analyzer.analyze(encoded);
    float[] vector = vectors == null ? null : vectors.embed(analysis.image());
    Optional<String> named = Originals.hashOf(record.location());
    if (named.isPresent()) {
      // An upload is named by its bytes: a source naming other bytes would serve them for this image.
      if (!named.get().equals(Originals.hash(encoded))) {
        throw new IllegalArgumentException("the upload source " + record.location()
            + " names other bytes than those given");
      }
      if (originals != null) {
        // Kept before the index names it, so that a committed upload always has its original.
        originals.put(encoded);
      }
    }
    AddOutcome outcome = index.add(analysis.signature(), analysis.metadata(), occurrence(record));
    String id = IndexedImage.idOf(analysis.signature().pixelKey());
    if (vector != null) {
      vectors.put(id, vector);
    }
    return new Added(outcome, id);
  }

  /** Fetches and adds one record, without committing. */
  public Added add(ImageRecord record) throws ImageRejected, FetchException, IOException {
    return add(fetcher.readLocation(record.location()).bytes(), record);
  }

  /**
   * Runs a whole source. {@code progress} is called on this thread after every record; it should
   * be cheap (throttle any printing).
   */
  public IngestReport run(ImageSource source, Consumer<IngestProgress> progress) throws IOException {
    long start = System.nanoTime();
    Counts counts = new Counts();
    HostSlots slots = new HostSlots(settings.maxPerHost());
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(settings.threads(), r -> {
      Thread t = new Thread(r, "loupe-ingest-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      Deque<InFlight> inFlight = new ArrayDeque<>();
      int window = settings.threads() * 4;
      long lastCommitNanos = System.nanoTime();
      long sinceCommit = 0;
      Iterator<ImageRecord> records = source.iterator();
      while (true) {
        ImageRecord record;
        try {
          if (!records.hasNext()) {
            break;
          }
          record = records.next();
        } catch (RuntimeException e) {
          // The source broke (a corrupt dataset row): keep what was read before it, then report.
          while (!inFlight.isEmpty()) {
            apply(inFlight.removeFirst(), counts);
          }
          commit();
          throw e;
        }
        if (settings.skipKnownSources() && index.hasSource(record.location(), analyzer.usesKeypoints())) {
          counts.skipped++;
          counts.processed++;
          progress.accept(counts.progress(source.size(), start));
          continue;
        }
        inFlight.add(new InFlight(record, workers.submit(() -> prepare(record, slots))));
        while (inFlight.size() >= window) {
          apply(inFlight.removeFirst(), counts);
          sinceCommit++;
          progress.accept(counts.progress(source.size(), start));
        }
        if (sinceCommit >= settings.commitEvery()
            || System.nanoTime() - lastCommitNanos >= settings.commitInterval().toNanos()) {
          commit();
          counts.committed = counts.processed;
          sinceCommit = 0;
          lastCommitNanos = System.nanoTime();
        }
      }
      while (!inFlight.isEmpty()) {
        apply(inFlight.removeFirst(), counts);
        progress.accept(counts.progress(source.size(), start));
      }
      commit();
      counts.committed = counts.processed;
      progress.accept(counts.progress(source.size(), start));
    } finally {
      workers.shutdownNow();
    }
    return new IngestReport(counts.newImages, counts.newOccurrences, counts.seenAgain, counts.skipped,
        counts.failures, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Commits the vectors, then the images (see {@link VectorSink}). */
  private void commit() throws IOException {
    if (vectors != null) {
      vectors.commit();
    }
    index.commit();
  }

  private Prepared prepare(ImageRecord record, HostSlots slots) {
    try {
      byte[] bytes;
      String host = HostSlots.hostOf(record.location());
      slots.acquire(host);
      try {
        bytes = fetcher.readLocation(record.location()).bytes();
      } finally {
        slots.release(host);
      }
      ImageAnalyzer.Analysis analysis = analyzer.analyze(bytes);
      float[] vector = vectors == null ? null : vectors.embed(analysis.image());
      return new Prepared(analysis, analysis.metadata(), null, vector);
    } catch (FetchException e) {
      return new Prepared(null, null, new Failure(FailureReasons.of(e), e.getMessage()), null);
    } catch (ImageRejected e) {
      return new Prepared(null, null, new Failure(FailureReasons.of(e), e.getMessage()), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Prepared(null, null, new Failure(FailureReasons.OTHER, "interrupted"), null);
    } catch (RuntimeException e) {
      return new Prepared(null, null, new Failure(FailureReasons.OTHER, "internal error: " + e), null);
    }
  }

  private void apply(InFlight item, Counts counts) throws IOException {
    Prepared prepared;
    try {
      prepared = item.future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("ingest interrupted", e);
    } catch (ExecutionException e) {
      prepared = new Prepared(null, null, new Failure(FailureReasons.OTHER, "internal error: " + e.getCause()), null);
    }
    counts.processed++;
    if (prepared.error != null) {
      counts.failures.add(new IngestFailure(item.record.location(), prepared.error.reason(), prepared.error.message()));
      return;
    }
    switch (index.add(prepared.analysis.signature(), prepared.metadata, occurrence(item.record))) {
      case NEW_IMAGE -> counts.newImages++;
      case NEW_OCCURRENCE -> counts.newOccurrences++;
      case SEEN_AGAIN -> counts.seenAgain++;
    }
    if (prepared.vector != null) {
      vectors.put(IndexedImage.idOf(prepared.analysis.signature().pixelKey()), prepared.vector);
    }
  }

  private Occurrence occurrence(ImageRecord record) {
    Instant now = clock.instant();
    Instant first = record.firstSeen() != null && record.firstSeen().isBefore(now) ? record.firstSeen() : now;
    return new Occurrence(record.location(), record.url(), record.pageUrl(), record.titleOrFileName(), first, now);
  }

  private record InFlight(ImageRecord record, Future<Prepared> future) {}

  private record Prepared(ImageAnalyzer.Analysis analysis, dev.loupe.index.ImageMetadata metadata, Failure error,
      float[] vector) {}

  private record Failure(String reason, String message) {}

  private static final class Counts {
    long processed;
    long committed;
    long newImages;
    long newOccurrences;
    long seenAgain;
    long skipped;
    final List<IngestFailure> failures = new ArrayList<>();

    IngestProgress progress(long total, long startNanos) {
      return new IngestProgress(processed, failures.size(), skipped, committed, total,
          Duration.ofNanos(System.nanoTime() - startNanos));
    }
  }
}
