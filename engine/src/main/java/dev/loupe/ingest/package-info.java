/**
 * From sources (a folder, a list of URLs, one URL) to index entries: each location is fetched,
 * decoded, signed and thumbnailed on worker threads, then added to the index by one writer that
 * commits in batches, so an interrupted ingest loses at most its last batch and resumes by
 * skipping the sources it already holds.
 */
package dev.loupe.ingest;
