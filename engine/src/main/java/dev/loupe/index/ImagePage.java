package dev.loupe.index;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param images the images on this page, each with all its occurrences
 * @param total how many images match the listing's filters, over all pages
 * @param offset the listing's offset
 */
public record ImagePage(List<IndexedImage> images, long total, int offset) {
  public ImagePage {
    images = List.copyOf(images);
  }

  /** The offset of the next page, or -1 when this is the last. */
  public int nextOffset() {
    return offset + images.size() < total && !images.isEmpty() ? offset + images.size() : -1;
  }
}
