/**
 * The {@code loupe} command line (picocli): {@code index}, {@code search}, {@code stats},
 * {@code delete} and {@code demo}. Commands print human text by default and JSON with
 * {@code --json}; progress goes to standard error so that standard output stays parseable.
 */
package dev.loupe.app;
