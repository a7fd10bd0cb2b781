package dev.loupe.index;

/**
 * An image the index returned for a query, before the searcher ranks it.
 *
 * @param image the stored image
 * @param hashDistance smallest Hamming distance between the query's hash variants and the image's
 *     hash (0..256)
 * @param variant index of the query hash variant that gave {@code hashDistance}
 * @param similarity descriptor similarity in 0..1 (1 = same direction), or NaN when the candidate
 *     came from the hash search only
 */
public record Candidate(IndexedImage image, int hashDistance, int variant, float similarity) {}
