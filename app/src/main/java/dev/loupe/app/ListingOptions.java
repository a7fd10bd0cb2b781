package dev.loupe.app;

import dev.loupe.index.ImageListing;
import dev.loupe.index.IndexFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The filters {@code loupe list} and {@code loupe export} share; the same as {@code GET /v1/images}'s. */
final class ListingOptions {
  @Option(names = "--domain", split = ",", paramLabel = "HOST", description = "Only images seen on these hosts.")
  List<String> domains = new ArrayList<>();

  @Option(names = "--source", paramLabel = "PREFIX",
      description = "Only images indexed from a path or URL starting with PREFIX (uploads: upload:).")
  String source;

  @Option(names = "--from", paramLabel = "TIME", description = "Only images first seen at or after TIME (2015-06-01 or an ISO-8601 instant).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "Only images first seen before TIME.")
  String to;

  @Option(names = "--title", paramLabel = "WORD", description = "Only images with WORD in a title (whole word, any case).")
  String title;

  @Option(names = "--oldest", description = "Oldest first (default: newest first).")
  boolean oldest;

  /** The listing for one page; a bad value throws an IllegalArgumentException naming its flag. */
  ImageListing listing(int offset, int limit) {
    Instant fromTime = from == null ? null : ImageListing.parseTime("--from", from);
    Instant toTime = to == null ? null : ImageListing.parseTime("--to", to);
    if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
      throw new IllegalArgumentException("--to must be after --from, got: --from " + from + ", --to " + to);
    }
    return new ImageListing(new IndexFilter(Set.copyOf(domains)), source, fromTime, toTime, title, !oldest, offset, limit);
  }
}
