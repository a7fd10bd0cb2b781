package dev.loupe.index;

/**
 * One image found by vector similarity.
 *
 * @param id the image's id ({@link IndexedImage#id()})
 * @param cosine cosine similarity to the query vector, -1 to 1
 */
public record VectorHit(String id, float cosine) {}
