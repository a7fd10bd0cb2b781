package dev.loupe.index;

import dev.loupe.features.VisualWords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * Counts, in one segment, how many of a query's visual words each image shares, weighted by the
 * words' rarity, and keeps the best. A plain loop over postings into an accumulator array rather
 * than a Lucene BooleanQuery: a query has up to 3,000 words, far beyond the clause limit, and
 * the accumulation is the whole job (no scoring model, no skipping helps), so the loop is both
 * simpler and faster. Cost: one term seek per word plus one add per posting.
 */
final class WordVotes {
  /** Words in more than this share of a segment's images carry no evidence and are skipped. */
  static final double MAX_DOCUMENT_FREQUENCY = 0.02;
  /** Segments this small keep every word (frequencies mean little there). */
  private static final int MIN_DOCS_FOR_CUTOFF = 500;

  private WordVotes() {}

  /** One image's tally; {@code doc} is index-wide (segment base added). */
  record Vote(int doc, float score, int words) {
    static final Comparator<Vote> BEST_FIRST =
        Comparator.comparingDouble(Vote::score).reversed().thenComparingInt(Vote::doc);
  }

  static List<Vote> count(LeafReaderContext leaf, int[] words, Weight domains, int limit) throws IOException {
    Terms terms = leaf.reader().terms(ImageDocuments.F_WORD);
    if (terms == null) {
      return List.of();
    }
    int maxDoc = leaf.reader().maxDoc();
    float[] score = new float[maxDoc];
    short[] shared = new short[maxDoc];
    int maxFrequency = maxDoc < MIN_DOCS_FOR_CUTOFF ? maxDoc : (int) Math.max(1, MAX_DOCUMENT_FREQUENCY * maxDoc);
    TermsEnum te = terms.iterator();
    PostingsEnum postings = null;
    BytesRef term = new BytesRef(new byte[4]);
    for (int word : words) {
      byte[] bytes = VisualWords.termBytes(word);
      System.arraycopy(bytes, 0, term.bytes, 0, 4);
      if (!te.seekExact(term)) {
        continue;
      }
      int df = te.docFreq();
      if (df > maxFrequency) {
        continue;
      }
      float idf = (float) Math.log(1 + (double) maxDoc / df);
      postings = te.postings(postings, PostingsEnum.NONE);
      for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
        score[doc] += idf;
        shared[doc]++;
      }
    }
    Bits live = leaf.reader().getLiveDocs();
    FixedBitSet allowed = allowed(leaf, domains);
    PriorityQueue<Vote> best = new PriorityQueue<>(limit + 1, Vote.BEST_FIRST.reversed());
    for (int doc = 0; doc < maxDoc; doc++) {
      if (score[doc] == 0 || (live != null && !live.get(doc)) || (allowed != null && !allowed.get(doc))) {
        continue;
      }
      if (best.size() < limit || score[doc] > best.peek().score()) {
        best.add(new Vote(leaf.docBase + doc, score[doc], shared[doc]));
        if (best.size() > limit) {
          best.poll();
        }
      }
    }
    return new ArrayList<>(best);
  }

  private static FixedBitSet allowed(LeafReaderContext leaf, Weight domains) throws IOException {
    if (domains == null) {
      return null;
    }
    FixedBitSet bits = new FixedBitSet(leaf.reader().maxDoc());
    Scorer scorer = domains.scorer(leaf);
    if (scorer != null) {
      DocIdSetIterator it = scorer.iterator();
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        bits.set(doc);
      }
    }
    return bits;
  }
}
