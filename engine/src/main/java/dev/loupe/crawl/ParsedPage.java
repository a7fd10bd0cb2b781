package dev.loupe.crawl;

import java.util.List;

/**
 * What a crawler takes from one HTML page.
 *
 * @param title the page's {@code <title>}, stripped; empty when it has none
 * @param links absolute http(s) URLs of its links, without fragments, in document order, distinct
 * @param images the pictures it shows, in document order, distinct by URL
 * @param directives the page's meta robots directives (headers are added by the caller)
 */
public record ParsedPage(String title, List<String> links, List<PageImage> images,
    RobotsDirectives directives) {
  public ParsedPage {
    links = List.copyOf(links);
    images = List.copyOf(images);
  }

  /**
   * A picture on a page.
   *
   * @param url its absolute http(s) URL (the largest candidate of a {@code srcset} or
   *     {@code <picture>})
   * @param text its own text: {@code alt}, else {@code title}, else the enclosing
   *     {@code <figcaption>}; empty when it has none
   */
  public record PageImage(String url, String text) {}
}
