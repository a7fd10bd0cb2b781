package dev.loupe.bench;

import dev.loupe.ingest.DirectorySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The parts of a built dev set (docs/devset.md) that the cost benchmarks read: the image files of
 * a folder, and the edited queries of chosen edits with the original each one copies.
 */
final class DevSetQueries {
  /** Edits the cost benchmarks time by default, those the dev set has. */
  static final List<String> DEFAULT_EDITS =
      List.of("crop50", "caption", "rotate90", "crop30_corner", "rotate_free", "perspective");

  /** The name that asks for the negatives (copies of nothing) beside the edits. */
  static final String NEGATIVES = "negatives";

  /** One edited query; {@code original} is null for a negative. */
  record Query(Path file, String edit, Path original) {}

  private DevSetQueries() {}

  /** The image files directly in {@code folder}, sorted by name. */
  static List<Path> images(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> DirectorySource.isImageFileName(p.getFileName().toString())).sorted().toList();
    }
  }

  /** Those of {@code edits} that have a folder under {@code queries/}, in the given order. */
  static List<String> present(Path devset, Collection<String> edits) {
    return edits.stream().filter(e -> Files.isDirectory(
        e.equals(NEGATIVES) ? devset.resolve(NEGATIVES) : devset.resolve("queries").resolve(e))).toList();
  }

  /**
   * The manifest's queries of the given edits; the negatives (which copy nothing) only when
   * {@code edits} holds {@value #NEGATIVES}, under that name.
   */
  static List<Query> read(Path devset, Collection<String> edits) throws IOException {
    Path manifest = devset.resolve("manifest.csv");
    if (!Files.isRegularFile(manifest)) {
      throw new IOException("no dev set at " + devset + ": run bench/fetch-data.sh first");
    }
    List<Query> out = new ArrayList<>();
    for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
      String[] cells = line.split(",", -1);
      if (cells.length < 3 || cells[0].equals("query_file")) {
        continue;
      }
      if (cells[2].isBlank()) {
        if (edits.contains(NEGATIVES)) {
          out.add(new Query(devset.resolve(cells[0]), NEGATIVES, null));
        }
        continue;
      }
      if (!edits.contains(cells[1])) {
        continue;
      }
      out.add(new Query(devset.resolve(cells[0]), cells[1], devset.resolve(cells[2])));
    }
    return out;
  }
}
