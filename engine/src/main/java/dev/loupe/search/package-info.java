/**
 * Query image in, ranked hits out: exact copies (same pixels), near-duplicates (hash within a
 * tuned radius, over the query's rotations and mirrors) and images alike in kind and look
 * (likeness neighbours above a calibrated floor, never copies of the query), filtered, sorted and
 * numbered as the {@code image_search} tool returns them.
 */
package dev.loupe.search;
