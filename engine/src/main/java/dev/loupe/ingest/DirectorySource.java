package dev.loupe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every image file under a folder, recursively, in path order, with titles from sidecar files.
 *
 * <p>For {@code photos/bridge.jpg} the sidecars are, in order of preference,
 * {@code photos/bridge.json} or {@code photos/bridge.jpg.json} ({@code {"title": …, "page_url":
 * …, "first_seen": "2024-04-03T10:00:00Z"}}, every field optional) and {@code photos/bridge.txt} or
 * {@code photos/bridge.jpg.txt} (the first non-blank line is the title). Without a sidecar the title
 * is the file name without its extension. Hidden files and folders are skipped.
 *
 * <p>The first sighting is the sidecar's {@code first_seen}, else the date the picture was taken or
 * made ({@link CaptureDate}: EXIF {@code DateTimeOriginal}, XMP {@code CreateDate}, else the file's
 * modification time), so that a folder's provenance timeline follows the photos, not the indexing.
 */
public final class DirectorySource implements ImageSource {
  private static final Set<String> IMAGE_EXTENSIONS =
      Set.of("jpg", "jpeg", "jpe", "jfif", "png", "bmp", "gif", "tif", "tiff", "webp", "heic", "heif", "avif");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Sidecars larger than this are ignored: a title file is a few hundred bytes. */
  private static final long MAX_SIDECAR_BYTES = 64 * 1024;

  private final List<Path> files;
  private final String description;

  private DirectorySource(List<Path> files, String description) {
    this.files = List.copyOf(files);
    this.description = description;
  }

  /** Lists the image files under {@code dir} now; later changes to the folder are not seen. */
  public static DirectorySource scan(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> !isHidden(dir, p))
          .filter(Files::isRegularFile)
          .filter(p -> isImageFileName(p.getFileName().toString()))
          .sorted()
          .forEach(files::add);
    }
    return new DirectorySource(files, "folder " + dir);
  }

  /** One image file. */
  static DirectorySource single(Path file) {
    return new DirectorySource(List.of(file), "file " + file);
  }

  /** Whether the name ends in an image extension Loupe tries to read. */
  public static boolean isImageFileName(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static boolean isHidden(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long size() {
    return files.size();
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Iterator<ImageRecord> iterator() {
    return files.stream().map(DirectorySource::record).iterator();
  }

  /** The record for one file: its path as given, plus whatever its sidecar says. */
  static ImageRecord record(Path file) {
    String name = file.getFileName().toString();
    String base = name.substring(0, name.lastIndexOf('.'));
    String title = null;
    String pageUrl = null;
    Instant firstSeen = null;
    JsonNode json = readJson(file.resolveSibling(base + ".json"));
    if (json == null) {
      json = readJson(file.resolveSibling(name + ".json"));
    }
    if (json != null) {
      title = text(json, "title");
      pageUrl = text(json, "page_url");
      String seen = text(json, "first_seen");
      if (seen != null) {
        try {
          firstSeen = Instant.parse(seen);
        } catch (DateTimeParseException e) {
          firstSeen = null; // A bad date in a sidecar should not lose the image; ingest time is used.
        }
      }
    }
    if (title == null) {
      title = readFirstLine(file.resolveSibling(base + ".txt"));
      if (title == null) {
        title = readFirstLine(file.resolveSibling(name + ".txt"));
      }
    }
    if (firstSeen == null) {
      firstSeen = CaptureDate.of(file);
    }
    return new ImageRecord(file.toString(), title, pageUrl, firstSeen);
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText().strip() : null;
  }

  private static JsonNode readJson(Path sidecar) {
    try {
      if (!Files.isRegularFile(sidecar) || Files.size(sidecar) > MAX_SIDECAR_BYTES) {
        return null;
      }
      JsonNode node = JSON.readTree(sidecar.toFile());
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null; // A malformed sidecar falls back to the next source of a title.
    }
  }

  private static String readFirstLine(Path sidecar) {
    try {
      if (!Files.isRegularFile(sidecar) || Files.size(sidecar) > MAX_SIDECAR_BYTES) {
        return null;
      }
      for (String line : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          return line.strip();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
