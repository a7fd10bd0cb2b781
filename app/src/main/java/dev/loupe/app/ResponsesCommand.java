package dev.loupe.app;

import dev.loupe.store.ResponseStore;
import dev.loupe.store.StoreSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loupe responses list|purge}: what the stored responses ({@code responses.db}) hold, and
 * deleting those created before a time. Safe while {@code loupe serve} runs: SQLite serialises the
 * writers.
 */
@Command(
    name = "responses",
    mixinStandardHelpOptions = true,
    description = "Show or purge the stored responses (GET /v1/responses/{id}, previous_response_id).",
    subcommands = {ResponsesCommand.List.class, ResponsesCommand.Purge.class})
final class ResponsesCommand {
  /** {@code loupe responses list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Count the stored responses and images, their size, the oldest and the newest.")
  static final class List implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataDirOption data;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      StoreSummary s;
      try (ResponseStore store = ResponseStore.open(data.config().dataDir())) {
        s = store.summary();
      }
      out.printf("responses  %d%n", s.responses());
      out.printf("images     %d%n", s.images());
      out.printf("bytes      %d%n", s.bytes());
      out.printf("oldest     %s%n", s.oldest() == null ? "none" : Instant.ofEpochSecond(s.oldest()));
      out.printf("newest     %s%n", s.newest() == null ? "none" : Instant.ofEpochSecond(s.newest()));
      return 0;
    }
  }

  /** {@code loupe responses purge --before TIME}. */
  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = "Delete the stored responses created before a time, and the images only they had.")
  static final class Purge implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin DataDirOption data;

    @Option(names = "--before", paramLabel = "TIME", required = true,
        description = "An instant (2026-12-01T08:00:00Z) or a UTC date (2026-12-01, meaning its midnight).")
    String before;

    @Override
    public Integer call() throws IOException {
      Instant cutoff;
      try {
        cutoff = before.contains("T") ? Instant.parse(before) : LocalDate.parse(before).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        spec.commandLine().getErr().println("loupe responses purge: --before must be an instant such as"
            + " 2026-12-01T08:00:00Z or a date such as 2026-12-01, got: " + before);
        return 2;
      }
      int purged;
      try (ResponseStore store = ResponseStore.open(data.config().dataDir())) {
        purged = store.purgeBefore(cutoff.getEpochSecond());
      }
      spec.commandLine().getOut().println("purged " + purged + " responses created before " + cutoff);
      return 0;
    }
  }
}
