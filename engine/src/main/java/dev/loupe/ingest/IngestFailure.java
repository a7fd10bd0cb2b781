package dev.loupe.ingest;

/** A record that could not be indexed, with the reason in words. */
public record IngestFailure(String location, String message) {}
