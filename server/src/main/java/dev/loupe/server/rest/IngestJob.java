package dev.loupe.server.rest;

import dev.loupe.ingest.IngestFailure;
import dev.loupe.ingest.IngestProgress;
import dev.loupe.ingest.IngestReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One {@code POST /v1/ingest} job: its latest progress while it runs, its report once done. Updated
 * by the job's thread, read by {@code GET /v1/ingest/{id}}.
 */
final class IngestJob {
  final String id;
  final long total;
  final Instant created = Instant.now();
  private volatile IngestProgress progress;
  private volatile IngestReport report;
  private volatile String error;

  IngestJob(String id, long total) {
    this.id = id;
    this.total = total;
    this.progress = new IngestProgress(0, 0, 0, 0, total, Duration.ZERO);
  }

  void progress(IngestProgress p) {
    progress = p;
  }

  void done(IngestReport r) {
    report = r;
  }

  void failed(String message) {
    error = message;
  }

  IngestProgress progress() {
    return progress;
  }

  /** The report once completed, else null. */
  IngestReport report() {
    return report;
  }

  /** Why the job stopped early, else null. */
  String error() {
    return error;
  }

  String status() {
    return error != null ? "failed" : report != null ? "completed" : "running";
  }

  List<IngestFailure> failures() {
    return report == null ? List.of() : report.failures();
  }
}
