package dev.loupe.index;

import dev.loupe.features.VisualWords;
import dev.loupe.features.WordLookup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * Counts how many of a query's visual words each image shares, weighted by the words' rarity in the
 * whole index, and keeps the best. Two steps: each segment reads the postings of the words
 * ({@link #collect}), then the document frequencies summed over the segments give every word one
 * inverse document frequency, and each segment adds them up ({@link #count}); so the scores of
 * images in a small new segment and in a large merged one compare. A plain loop over postings into
 * an accumulator array rather than a Lucene BooleanQuery: a query has up to 12,000 words, far beyond
 * the clause limit, and the accumulation is the whole job (no scoring model, no skipping helps), so
 * the loop is both simpler and faster. Cost: one term seek per word and segment plus one add per
 * posting.
 */
final class WordVotes {
  /** Words in more than this share of the images carry no evidence and are skipped. */
  static final double MAX_DOCUMENT_FREQUENCY = 0.005;
  /** Indexes this small keep every word (frequencies mean little there). */
  private static final int MIN_DOCS_FOR_CUTOFF = 500;

  private WordVotes() {}

  /** One image's tally; {@code doc} is index-wide (segment base added). */
  record Vote(int doc, float score, int words) {
    static final Comparator<Vote> BEST_FIRST =
        Comparator.comparingDouble(Vote::score).reversed().thenComparingInt(Vote::doc);
  }

  /**
   * One segment's postings of the looked-up words.
   *
   * @param docFreq per word, its document frequency in the segment
   * @param docs per word, its documents; null when absent or too frequent anywhere to count
   */
  record LeafPostings(LeafReaderContext leaf, int[] docFreq, int[][] docs) {}

  /** The most documents a word may be in, of {@code totalDocs}, and still count. */
  static long maxFrequency(long totalDocs) {
    return totalDocs < MIN_DOCS_FOR_CUTOFF ? totalDocs : (long) Math.max(1, MAX_DOCUMENT_FREQUENCY * totalDocs);
  }

  /** Reads the segment's postings of {@code words}; a word more frequent here than the cutoff is not read. */
  static LeafPostings collect(LeafReaderContext leaf, int[] words, long maxFrequency) throws IOException {
    int[] docFreq = new int[words.length];
    int[][] docs = new int[words.length][];
    Terms terms = leaf.reader().terms(ImageDocuments.F_WORD);
    if (terms == null) {
      return new LeafPostings(leaf, docFreq, docs);
    }
    TermsEnum te = terms.iterator();
    PostingsEnum postings = null;
    BytesRef term = new BytesRef(new byte[4]);
    for (int w = 0; w < words.length; w++) {
      byte[] bytes = VisualWords.termBytes(words[w]);
      System.arraycopy(bytes, 0, term.bytes, 0, 4);
      if (!te.seekExact(term)) {
        continue;
      }
      int df = te.docFreq();
      docFreq[w] = df;
      if (df > maxFrequency) {
        continue;
      }
      int[] list = new int[df];
      postings = te.postings(postings, PostingsEnum.NONE);
      int k = 0;
      for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS && k < df; doc = postings.nextDoc()) {
        list[k++] = doc;
      }
      docs[w] = k == df ? list : Arrays.copyOf(list, k);
    }
    return new LeafPostings(leaf, docFreq, docs);
  }

  /**
   * What each word adds to an image that has it: its weight times its inverse document frequency
   * over all segments, or 0 when it is in more than {@code maxFrequency} images.
   */
  static float[] wordScores(List<LeafPostings> segments, WordLookup lookup, long totalDocs, long maxFrequency) {
    float[] out = new float[lookup.size()];
    for (int w = 0; w < out.length; w++) {
      long df = 0;
      for (LeafPostings p : segments) {
        df += p.docFreq()[w];
      }
      out[w] = score(lookup.weights()[w], df, totalDocs, maxFrequency);
    }
    return out;
  }

  /**
   * What one shared word adds to an image's vote: its weight times its inverse document frequency
   * over {@code totalDocs} images, or 0 when it is in no image or in more than {@code maxFrequency}.
   */
  static float score(float weight, long df, long totalDocs, long maxFrequency) {
    return df > 0 && df <= maxFrequency ? weight * (float) Math.log(1 + (double) totalDocs / df) : 0;
  }

  /**
   * Per thread, the accumulators of the largest segment counted so far, all zero between calls: a
   * query touches only the images its postings name, so it adds, reads and resets those, not a
   * fresh array as long as the segment (which at millions of images would cost more than the
   * postings themselves).
   */
  private static final ThreadLocal<Accumulators> ACCUMULATORS = ThreadLocal.withInitial(Accumulators::new);

  private static final class Accumulators {
    float[] score = new float[0];
    short[] shared = new short[0];
    int[] touched = new int[1024];

    void ensure(int maxDoc) {
      if (score.length < maxDoc) {
        score = new float[maxDoc];
        shared = new short[maxDoc];
      }
    }
  }

  /** The segment's best {@code limit} images by the summed scores of the words they share. */
  static List<Vote> count(LeafPostings segment, float[] wordScores, Weight domains, int limit) throws IOException {
    LeafReaderContext leaf = segment.leaf();
    Accumulators acc = ACCUMULATORS.get();
    acc.ensure(leaf.reader().maxDoc());
    float[] score = acc.score;
    short[] shared = acc.shared;
    int[] touched = acc.touched;
    int n = 0;
    for (int w = 0; w < wordScores.length; w++) {
      int[] docs = segment.docs()[w];
      if (docs == null || wordScores[w] == 0) {
        continue;
      }
      float add = wordScores[w];
      for (int doc : docs) {
        if (shared[doc] == 0) {
          if (n == touched.length) {
            touched = acc.touched = Arrays.copyOf(touched, 2 * n);
          }
          touched[n++] = doc;
        }
        score[doc] += add;
        shared[doc]++;
      }
    }
    try {
      Bits live = leaf.reader().getLiveDocs();
      FixedBitSet allowed = SegmentFilter.allowed(leaf, domains);
      PriorityQueue<Vote> best = new PriorityQueue<>(limit + 1, Vote.BEST_FIRST.reversed());
      for (int i = 0; i < n; i++) {
        int doc = touched[i];
        if ((live != null && !live.get(doc)) || (allowed != null && !allowed.get(doc))) {
          continue;
        }
        if (best.size() == limit && score[doc] < best.peek().score()) {
          continue;
        }
        Vote vote = new Vote(leaf.docBase + doc, score[doc], shared[doc]);
        // The comparator, not the score alone, so that ties keep the same images in any touch order.
        if (best.size() < limit || Vote.BEST_FIRST.compare(vote, best.peek()) < 0) {
          best.add(vote);
          if (best.size() > limit) {
            best.poll();
          }
        }
      }
      return new ArrayList<>(best);
    } finally {
      for (int i = 0; i < n; i++) {
        score[touched[i]] = 0;
        shared[touched[i]] = 0;
      }
    }
  }
}
