package dev.loupe.crawl;

/** A URL the crawl could not use, with the reason in words (the fetcher's or loader's message). */
public record CrawlFailure(String url, String message) {}
