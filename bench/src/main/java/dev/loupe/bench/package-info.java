/**
 * Benchmarks of Loupe. {@link dev.loupe.bench.DevSetBuilder} builds the quality benchmark's dev set
 * (originals, distractors, edited queries and negatives) from Debian packages, and
 * {@link dev.loupe.bench.Edits} holds the image edits that both the builder and the benchmark
 * runner apply.
 */
package dev.loupe.bench;
