package dev.loupe.crawl;

/**
 * One unit of crawl work, as the frontier stores it.
 *
 * @param id the frontier's row id (0 before it is stored)
 * @param kind what to do with the URL
 * @param url the URL to fetch
 * @param depth links followed from a seed to reach it (a sitemap's pages have depth 0)
 * @param pageUrl for an image, the page it was seen on (empty when it has none)
 * @param text for an image, its own text (alt, title, figcaption or image sitemap caption)
 * @param pageTitle for an image, the title of its page
 */
record CrawlTask(long id, Kind kind, String url, int depth, String pageUrl, String text,
    String pageTitle) {
  enum Kind { PAGE, SITEMAP, IMAGE }

  CrawlTask withId(long newId) {
    return new CrawlTask(newId, kind, url, depth, pageUrl, text, pageTitle);
  }
}
