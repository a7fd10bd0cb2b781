package dev.loupe.fetch;

/** Placeholder until the fetcher lands. */
public record FetchedImage(byte[] bytes, String contentType, String location) {}
