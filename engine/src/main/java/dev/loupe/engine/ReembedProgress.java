package dev.loupe.engine;

/**
 * Where a re-embedding run is.
 *
 * @param seen images looked at so far
 * @param embedded images given a vector in this run
 * @param alreadyDone images that had a vector already (an earlier, interrupted run)
 * @param failed images whose stored picture could not be read
 * @param total images in the index when the run started
 */
public record ReembedProgress(long seen, long embedded, long alreadyDone, long failed, long total) {}
