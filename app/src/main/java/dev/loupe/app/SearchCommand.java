package dev.loupe.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.search.SortOrder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loupe search}: finds copies of and images like the given ones. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    header = "Search the index with one or more images.",
    description = {
      "Search the index with one or more images (paths, http(s) URLs, data URLs or Base64).",
      "One image: a table, or {\"results\": [...]} with --json.",
      "Several images or --batch: one JSON line per query, {\"query\": ..., \"results\": [...]}."
    })
final class SearchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin DataDirOption data;
  @Mixin ModelOption model;

  @Option(names = "--text", paramLabel = "TEXT",
      description = "Search by text (needs a model with a text tower); with an image, the text steers the ranking "
          + "of similar images.")
  String text;

  @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Query images.")
  List<String> images = new ArrayList<>();

  @Option(names = "--batch", paramLabel = "FILE", description = "File with one query image per line.")
  Path batch;

  @Option(names = {"-k", "--top-k"}, paramLabel = "N", description = "Hits per query, 1 to 100 (default: ${DEFAULT-VALUE}).")
  int topK = SearchRequest.DEFAULT_TOP_K;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = "--kind", split = ",", paramLabel = "KIND",
      description = "Only these match kinds: exact, near_duplicate, partial, similar.")
  List<String> kinds = new ArrayList<>();

  @Option(names = "--domain", split = ",", paramLabel = "HOST", description = "Only images seen on these hosts.")
  List<String> domains = new ArrayList<>();

  @Option(names = "--sort", paramLabel = "ORDER",
      description = "relevance (default), oldest, newest, largest, most_changed (copies that differ most first).")
  String sort = "relevance";

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SearchRequest request;
    List<String> queries = new ArrayList<>(images);
    try {
      Set<MatchKind> kindSet = new LinkedHashSet<>();
      kinds.forEach(k -> kindSet.add(MatchKind.fromWireName(k.strip())));
      request = new SearchRequest(topK, kindSet, Set.copyOf(domains), SortOrder.fromWireName(sort));
      if (batch != null) {
        for (String line : Files.readAllLines(batch, StandardCharsets.UTF_8)) {
          if (!line.isBlank() && !line.startsWith("#")) {
            queries.add(line.strip());
          }
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("loupe search: " + e.getMessage());
      return 2;
    }
    if (queries.isEmpty() && text == null) {
      err.println("loupe search: give at least one image, --batch FILE or --text TEXT");
      return 2;
    }
    if (queries.isEmpty()) {
      queries.add(null);
    }
    boolean lines = queries.size() > 1 || batch != null;
    int failures = 0;
    try (SharedEngine engine = data.openExisting(model.dir())) {
      Loupe loupe = engine.loupe();
      for (String query : queries) {
        List<SearchHit> hits;
        try {
          hits = query == null ? loupe.searchText(text, request)
              : text == null ? loupe.searchLocation(query, request)
              : loupe.search(loupe.analyzer().analyzeQuery(loupe.fetcher().readLocation(query).bytes()), text, request);
        } catch (Exception e) {
          failures++;
          if (lines) {
            ObjectNode line = HitJson.MAPPER.createObjectNode();
            line.put("query", query);
            line.put("error", Messages.describe(e));
            out.println(line);
          } else {
            String message = Messages.describe(e);
            // Fetch errors already start with the location; image errors do not.
            err.println("loupe search: " + (query == null || message.startsWith(query) ? message
                : query + ": " + message));
          }
          continue;
        }
        if (lines) {
          ObjectNode line = HitJson.MAPPER.createObjectNode();
          line.put("query", query);
          line.set("results", HitJson.hits(hits));
          out.println(line);
        } else if (json) {
          ObjectNode doc = HitJson.MAPPER.createObjectNode();
          doc.set("results", HitJson.hits(hits));
          out.println(doc);
        } else {
          printTable(out, hits);
        }
        out.flush();
      }
    }
    return failures == 0 ? 0 : 1;
  }

  /** The changes column is at most this wide; longer descriptions end in an ellipsis. */
  static final int CHANGES_WIDTH = 40;

  /**
   * One line per hit (match, score, size, title) and one with its URL or source. When any hit
   * carries verified differences, a changes column after the size says briefly how each copy
   * differs, for example {@code crop 42%, rot 12° ccw, mirror}.
   */
  static void printTable(PrintWriter out, List<SearchHit> hits) {
    if (hits.isEmpty()) {
      out.println("no matches");
      return;
    }
    List<String> changes = hits.stream().map(h -> h.differences() == null ? "" : shortChanges(h.differences())).toList();
    int longest = changes.stream().mapToInt(String::length).max().orElse(0);
    int width = longest == 0 ? 0 : Math.max("changes".length(), Math.min(CHANGES_WIDTH, longest));
    out.println(row("#", "match", "score", "size", width, "changes", "title / source"));
    for (int i = 0; i < hits.size(); i++) {
      SearchHit h = hits.get(i);
      String change = changes.get(i).length() > width ? changes.get(i).substring(0, width - 1) + "…" : changes.get(i);
      out.println(row(String.valueOf(h.index()), h.match().wireName(), String.format(Locale.ROOT, "%.3f", h.score()),
          h.width() + "x" + h.height(), width, change, h.title()));
      out.println(" ".repeat(38 + (width == 0 ? 0 : width + 1)) + (h.url() != null ? h.url() : h.source()));
    }
  }

  /** One table row; the changes column only when {@code width} is not 0. */
  private static String row(String index, String match, String score, String size, int width, String changes,
      String title) {
    String fixed = String.format(Locale.ROOT, "%-3s %-15s %-6s %-10s ", index, match, score, size);
    return fixed + (width == 0 ? "" : String.format(Locale.ROOT, "%-" + width + "s ", changes)) + title;
  }

  /**
   * A few words for the table: {@code crop 42%} (the query keeps 42% of the hit), {@code fills 80%}
   * (the hit fills 80% of the query), {@code rot 12° cw}, {@code mirror}, {@code perspective},
   * {@code x0.50} (the hit's size against the query's), {@code recolour}; {@code none} when
   * verification found no change.
   */
  static String shortChanges(Differences d) {
    List<String> parts = new ArrayList<>();
    if (d.cropped()) {
      parts.add("crop " + Math.round(100 * d.hitCoverage()) + "%");
    }
    if (d.extended()) {
      parts.add("fills " + Math.round(100 * d.queryCoverage()) + "%");
    }
    if (d.rotated()) {
      parts.add("rot " + Math.round(Math.abs(d.rotation())) + "° " + (d.rotation() > 0 ? "cw" : "ccw"));
    }
    if (d.mirrored()) {
      parts.add("mirror");
    }
    if (d.perspective()) {
      parts.add("perspective");
    }
    if (d.resized()) {
      parts.add(String.format(Locale.ROOT, "x%.2f", d.scale()));
    }
    if (d.recoloured()) {
      parts.add("recolour");
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
