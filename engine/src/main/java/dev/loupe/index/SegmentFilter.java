package dev.loupe.index;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.FixedBitSet;

/** The documents of one segment that a filter query allows, for the lookups that count postings by hand. */
final class SegmentFilter {
  private SegmentFilter() {}

  /** The segment's documents matching {@code filter}, or null when there is no filter (all allowed). */
  static FixedBitSet allowed(LeafReaderContext leaf, Weight filter) throws IOException {
    if (filter == null) {
      return null;
    }
    FixedBitSet bits = new FixedBitSet(leaf.reader().maxDoc());
    Scorer scorer = filter.scorer(leaf);
    if (scorer != null) {
      DocIdSetIterator it = scorer.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        bits.set(doc);
      }
    }
    return bits;
  }
}
