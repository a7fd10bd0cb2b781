package dev.loupe.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where images to ingest come from. Sources are read once, in a stable order, so that an ingest
 * that is interrupted and run again meets the same records in the same order.
 */
public interface ImageSource extends Iterable<ImageRecord> {
  /** How many records there are, or -1 when unknown (used for the ETA). */
  long size();

  /** A short description for progress output, for example {@code "folder demo/images"}. */
  String description();

  /**
   * The source a command-line argument names: a folder (every image in it, recursively, with
   * sidecar titles), an image file, a text or CSV file of URLs, or one http(s) URL.
   */
  static ImageSource forLocation(String location) throws IOException {
    if (location.startsWith("http://") || location.startsWith("https://")) {
      return new ListSource(java.util.List.of(ImageRecord.of(location)), "URL " + location);
    }
    Path path = Path.of(location);
    if (Files.isDirectory(path)) {
      return DirectorySource.scan(path);
    }
    if (!Files.isRegularFile(path)) {
      throw new java.nio.file.NoSuchFileException(location, null, "no such file or folder");
    }
    if (DirectorySource.isImageFileName(path.getFileName().toString())) {
      return DirectorySource.single(path);
    }
    if (DatasetSource.isDataset(path.getFileName().toString())) {
      return new DatasetSource(path);
    }
    return UrlListSource.read(path);
  }
}
