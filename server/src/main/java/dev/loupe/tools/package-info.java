/**
 * The {@code image_search} tool: one call searches one image and returns the hits as the JSON list
 * the seeds parse ({@code index}, {@code title}, {@code url}, then Loupe's additive fields, provenance
 * and verified differences included; {@link dev.loupe.tools.HitJson}). It
 * knows the search engine only through {@link dev.loupe.tools.ImageSearchBackend}.
 */
package dev.loupe.tools;
