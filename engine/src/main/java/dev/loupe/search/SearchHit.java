package dev.loupe.search;

import dev.loupe.index.IndexedImage;
import java.time.Instant;

/**
 * One result, in the order and with the fields the {@code image_search} tool returns.
 *
 * @param index 1-based rank in the result list
 * @param id the image's id in the index
 * @param title title of the occurrence shown (the earliest, within the domain filter if any)
 * @param url the image's URL at that occurrence, or null for a local file
 * @param pageUrl the page it appears on, or null
 * @param score 0..1; exact 1, near-duplicates 0.75 to 0.99 (closer hashes higher), similar images
 *     below 0.75 (the descriptors' cosine, scaled)
 * @param match how the hit relates to the query
 * @param firstSeen when the image was first seen anywhere
 * @param width full width in pixels
 * @param height full height in pixels
 * @param source the location exactly as it was indexed
 * @param hashDistance Hamming distance between the hashes (0..256), for diagnostics
 * @param image the stored image with all its occurrences
 * @param differences how the hit differs from the query, when geometric verification showed it;
 *     null otherwise
 */
public record SearchHit(
    int index,
    String id,
    String title,
    String url,
    String pageUrl,
    double score,
    MatchKind match,
    Instant firstSeen,
    int width,
    int height,
    String source,
    int hashDistance,
    IndexedImage image,
    Differences differences) {

  /** A hit without verified differences. */
  public SearchHit(int index, String id, String title, String url, String pageUrl, double score, MatchKind match,
      Instant firstSeen, int width, int height, String source, int hashDistance, IndexedImage image) {
    this(index, id, title, url, pageUrl, score, match, firstSeen, width, height, source, hashDistance, image, null);
  }
}
