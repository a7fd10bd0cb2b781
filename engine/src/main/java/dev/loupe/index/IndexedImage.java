package dev.loupe.index;

import dev.loupe.features.ImageSignature;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One distinct image in the index with all its occurrences.
 *
 * @param id short stable id derived from the pixel key (20 hex digits)
 * @param signature what the index searches by
 * @param format encoded format of the first file seen, for example {@code "jpeg"}
 * @param width full width in pixels
 * @param height full height in pixels
 * @param occurrences every place the image was seen, oldest first
 */
public record IndexedImage(
    String id, ImageSignature signature, String format, int width, int height, List<Occurrence> occurrences) {

  /** Length of {@link #id()}. */
  public static final int ID_LENGTH = 20;

  public IndexedImage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(signature, "signature");
    occurrences = occurrences.stream().sorted(Comparator.comparing(Occurrence::firstSeen)).toList();
    if (occurrences.isEmpty()) {
      throw new IllegalArgumentException("an indexed image needs at least one occurrence: " + id);
    }
  }

  /** The id an image with this pixel key gets. */
  public static String idOf(String pixelKey) {
    if (pixelKey.length() < ID_LENGTH) {
      throw new IllegalArgumentException("pixel key too short: " + pixelKey);
    }
    return pixelKey.substring(0, ID_LENGTH);
  }

  /** The earliest occurrence. */
  public Occurrence earliest() {
    return occurrences.getFirst();
  }

  /** When the image was first seen anywhere. */
  public Instant firstSeen() {
    return earliest().firstSeen();
  }

  public long pixels() {
    return (long) width * height;
  }
}
