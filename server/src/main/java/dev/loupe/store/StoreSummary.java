package dev.loupe.store;

/**
 * What the response store holds.
 *
 * @param responses how many responses
 * @param images how many distinct images they reference
 * @param bytes the bytes counted against {@link ResponseRetention#maxBytes()}: documents (UTF-8)
 *     plus decoded images
 * @param oldest the oldest response's creation time, Unix seconds, or null when empty
 * @param newest the newest response's creation time, Unix seconds, or null when empty
 */
public record StoreSummary(long responses, long images, long bytes, Long oldest, Long newest) {}
