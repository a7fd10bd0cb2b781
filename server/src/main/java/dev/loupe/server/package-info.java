/**
 * The HTTP server ({@code loupe serve}): Loupe's search REST, and the wire protocols that expose
 * the {@code image_search} tool to vision models.
 */
package dev.loupe.server;
