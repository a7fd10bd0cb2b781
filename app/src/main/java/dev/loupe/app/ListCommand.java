package dev.loupe.app;

import dev.loupe.index.ImageListing;
import dev.loupe.index.ImagePage;
import dev.loupe.tools.ImageJson;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loupe list}: a page of the collection. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    header = "List the indexed images, a page at a time, with filters.",
    description = {"List the indexed images, newest first: one line per image (id, first seen, size,",
      "occurrences, title), or with --json the page as GET /v1/images answers it."})
final class ListCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;
  @Mixin ListingOptions filters;

  @Option(names = "--limit", paramLabel = "N", description = "Images per page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int limit = 50;

  @Option(names = "--offset", paramLabel = "N", description = "Images to skip (default: ${DEFAULT-VALUE}).")
  int offset;

  @Option(names = "--json", description = "Print the page as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ImageListing listing;
    try {
      if (limit < 1 || limit > ImageListing.MAX_LIMIT) {
        throw new IllegalArgumentException("--limit must be between 1 and " + ImageListing.MAX_LIMIT + ", got: " + limit);
      }
      if (offset < 0) {
        throw new IllegalArgumentException("--offset must be at least 0, got: " + offset);
      }
      listing = filters.listing(offset, limit);
    } catch (IllegalArgumentException e) {
      err.println("loupe list: " + e.getMessage());
      return 2;
    }
    ImagePage page;
    try (SharedEngine engine = data.openExisting()) {
      page = engine.loupe().index().list(listing);
    }
    if (json) {
      out.println(ImageJson.page(page, ImageJson::local));
      return 0;
    }
    for (IndexedImage image : page.images()) {
      Occurrence first = image.earliest();
      out.printf(Locale.ROOT, "%s  %s  %5dx%-5d  %3d  %s%n", image.id(), image.firstSeen(), image.width(),
          image.height(), image.occurrences().size(), first.title());
    }
    int shownTo = page.offset() + page.images().size();
    err.println(page.images().isEmpty()
        ? "no images" + (page.total() > 0 ? " on this page (" + page.total() + " match)" : " match")
        : "images " + (page.offset() + 1) + "-" + shownTo + " of " + page.total()
            + (page.nextOffset() < 0 ? "" : "; next page: --offset " + page.nextOffset()));
    return 0;
  }
}
