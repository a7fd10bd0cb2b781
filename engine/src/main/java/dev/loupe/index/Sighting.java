package dev.loupe.index;

import dev.loupe.features.ImageSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What adding one sighting does to the stored image, the same in every backend ({@link
 * ImageIndex#add}): a new image, a new occurrence of a stored one, or a known source seen again.
 *
 * @param outcome which of the three
 * @param image the image to store now
 */
public record Sighting(AddOutcome outcome, IndexedImage image) {
  /**
   * The sighting of {@code signature} at {@code occurrence}, given the image stored with its pixel
   * key, if any.
   */
  public static Sighting of(
      Optional<IndexedImage> stored, ImageSignature signature, ImageMetadata metadata, Occurrence occurrence) {
    if (stored.isEmpty()) {
      return new Sighting(AddOutcome.NEW_IMAGE, new IndexedImage(IndexedImage.idOf(signature.pixelKey()),
          ImageDocuments.stripVariants(signature), metadata.format(), metadata.width(), metadata.height(),
          List.of(occurrence)));
    }
    IndexedImage old = stored.get();
    List<Occurrence> occurrences = new ArrayList<>(old.occurrences());
    AddOutcome outcome = AddOutcome.NEW_OCCURRENCE;
    for (int i = 0; i < occurrences.size(); i++) {
      if (occurrences.get(i).source().equals(occurrence.source())) {
        outcome = AddOutcome.SEEN_AGAIN;
        occurrences.set(i, occurrences.get(i).mergedWith(occurrence));
        break;
      }
    }
    if (outcome == AddOutcome.NEW_OCCURRENCE) {
      occurrences.add(occurrence);
    }
    // An image indexed before keypoints existed gains them when it is seen again.
    ImageSignature kept = !old.signature().local().isComputed() && signature.local().isComputed()
        ? old.signature().withLocal(signature.local()) : old.signature();
    return new Sighting(outcome, new IndexedImage(old.id(), kept, old.format(), old.width(), old.height(), occurrences));
  }

  /**
   * {@code image} without its occurrences at {@code location} (their source or URL), or null when
   * none is left (the image goes).
   */
  public static IndexedImage withoutLocation(IndexedImage image, String location) {
    List<Occurrence> kept = image.occurrences().stream()
        .filter(o -> !location.equals(o.source()) && !location.equals(o.url()))
        .toList();
    return kept.isEmpty() ? null
        : new IndexedImage(image.id(), image.signature(), image.format(), image.width(), image.height(), kept);
  }
}
