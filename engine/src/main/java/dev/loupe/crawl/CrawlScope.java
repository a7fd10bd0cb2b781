package dev.loupe.crawl;

/** Which discovered pages a crawl follows, relative to its seeds. Images may be on any host. */
public enum CrawlScope {
  /** Pages on a seed's host (scheme, host and port) only. */
  HOST,
  /** Pages whose host has the same registrable domain as a seed ({@code a.example.co.uk} and {@code b.example.co.uk}). */
  DOMAIN,
  /** Any page a link leads to, within the other limits. */
  ANY
}
