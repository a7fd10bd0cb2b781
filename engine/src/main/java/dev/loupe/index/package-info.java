/**
 * The durable image store: one entry per distinct image (same pixels), each with every occurrence
 * where it was seen, searchable by exact pixel key, by Hamming radius over the perceptual hash and
 * by nearest neighbours over the global descriptor. {@link dev.loupe.index.ImageIndex} is the
 * contract; {@link dev.loupe.index.LuceneImageIndex} is the embedded Lucene backend. Only this
 * package imports Lucene.
 */
package dev.loupe.index;
