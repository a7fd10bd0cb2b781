/**
 * Query image in, ranked hits out: exact copies (same pixels), near-duplicates (hash within a
 * tuned radius, over the query's rotations and mirrors) and visually similar images (descriptor
 * neighbours), filtered, sorted and numbered as the {@code image_search} tool returns them.
 */
package dev.loupe.search;
