/**
 * Builds the collection from the web: a polite crawler that reads robots.txt (RFC 9309) and
 * sitemaps with crawler-commons, parses pages with jsoup, honours opt-outs before any image is
 * fetched, keeps one politeness queue per host and a durable frontier in SQLite, and adds each
 * picture with the page it was seen on, so that recrawls build provenance over time.
 */
package dev.loupe.crawl;
