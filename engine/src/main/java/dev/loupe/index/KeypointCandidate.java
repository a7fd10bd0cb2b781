package dev.loupe.index;

/**
 * An image found through shared visual words, before geometric verification.
 *
 * @param image the stored image, with its keypoints in {@code image.signature().local()}
 * @param score sum of the inverse document frequencies of the shared words
 * @param sharedWords how many of the query's words the image has
 */
public record KeypointCandidate(IndexedImage image, double score, int sharedWords) {}
