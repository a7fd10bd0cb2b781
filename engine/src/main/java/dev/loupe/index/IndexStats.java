package dev.loupe.index;

import java.time.Instant;

/**
 * Counts for {@code loupe stats}.
 *
 * @param images distinct images
 * @param occurrences places seen, over all images
 * @param bytesOnDisk size of the index files
 * @param lastCommit time of the last durable commit, or null for an empty index
 * @param segments number of index segments searched (each costs a little per query)
 */
public record IndexStats(long images, long occurrences, long bytesOnDisk, Instant lastCommit, int segments) {}
