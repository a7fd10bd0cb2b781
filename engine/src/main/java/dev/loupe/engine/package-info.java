/**
 * The engine assembled: {@link dev.loupe.engine.Loupe} opens a data directory and wires the
 * loader, fetcher, feature extractor, index, searcher and ingestor together for the command line
 * and the server.
 */
package dev.loupe.engine;
