package dev.loupe.index;

import dev.loupe.features.Hash256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * The hash tier's lookup in one segment: the images whose hash is within a Hamming radius of one
 * of the query's hashes, found through the sixteen chunk terms and verified against the full hash.
 *
 * <p>Pigeonhole with a count. Each chunk value within {@code r} bits of a query hash's chunk is
 * looked up, {@code r = d / 16} for a radius {@code d}. An image within {@code d} bits of a query
 * hash has at most {@code d / (r + 1)} chunks that differ from that hash's in more than {@code r}
 * bits, so at least {@link #minChunkHits} of its sixteen chunk terms are among those looked up (8
 * at the default radius of 16). The postings are counted per image and only the images that reach
 * that count are verified. Verifying every image that shares one looked-up chunk term, as a term
 * query would, costs a doc-values read for each of about {@code terms x N / 65,536} images when
 * hashes are evenly spread (0.033 N for the 2,176 terms of a radius-16 query with 8 variants); by
 * chance an image reaches 8 of 16 with a probability below 10^-17 (each chunk with 136 of 65,536 values), so the count leaves the
 * verification with the near-duplicates alone. Each image holds one term per chunk and the looked-up
 * terms are distinct, so no image is counted twice for one chunk.
 */
final class HashChunkVotes {
  private HashChunkVotes() {}

  /** How many of an image's chunk terms a hash within {@code maxDistance} bits shares with the lookup. */
  static int minChunkHits(int maxDistance) {
    return Hash256.CHUNKS - maxDistance / (chunkRadius(maxDistance) + 1);
  }

  /** The bits by which a looked-up chunk value may differ from the query's: 0 below 16 bits, else 1. */
  static int chunkRadius(int maxDistance) {
    return maxDistance / Hash256.CHUNKS;
  }

  /** The distinct chunk terms to look up for {@code hashes} at {@code maxDistance}, in term order. */
  static BytesRef[] lookup(Hash256[] hashes, int maxDistance) {
    BytesRef[] terms = ImageDocuments.chunkTerms(hashes, chunkRadius(maxDistance)).toArray(BytesRef[]::new);
    Arrays.sort(terms);
    return terms;
  }

  /**
   * Per thread, the hit counts of the largest segment searched so far, all zero between calls: a
   * query resets only the images its postings named.
   */
  private static final ThreadLocal<Counts> COUNTS = ThreadLocal.withInitial(Counts::new);

  private static final class Counts {
    byte[] hits = new byte[0];
    int[] touched = new int[1024];

    void ensure(int maxDoc) {
      if (hits.length < maxDoc) {
        hits = new byte[maxDoc];
      }
    }
  }

  /**
   * The segment's images within {@code maxDistance} of one of {@code hashes}, of at least
   * {@code minQuality}, live and allowed by {@code domains} (null: all): {doc (index-wide),
   * distance, variant (the index of the closest hash)} each, in doc order.
   */
  static List<long[]> search(LeafReaderContext leaf, BytesRef[] terms, Hash256[] hashes, int maxDistance,
      int minQuality, Weight domains) throws IOException {
    int[] candidates = candidates(leaf, terms, minChunkHits(maxDistance));
    if (candidates.length == 0) {
      return List.of();
    }
    Bits live = leaf.reader().getLiveDocs();
    FixedBitSet allowed = SegmentFilter.allowed(leaf, domains);
    BinaryDocValues hashValues = leaf.reader().getBinaryDocValues(ImageDocuments.F_HASH);
    NumericDocValues qualities = leaf.reader().getNumericDocValues(ImageDocuments.F_QUALITY);
    if (hashValues == null || qualities == null) {
      return List.of();
    }
    long[] words = words(hashes);
    List<long[]> found = new ArrayList<>();
    for (int doc : candidates) {
      if ((live != null && !live.get(doc)) || (allowed != null && !allowed.get(doc))) {
        continue;
      }
      if (!qualities.advanceExact(doc) || qualities.longValue() < minQuality || !hashValues.advanceExact(doc)) {
        continue;
      }
      BytesRef bytes = hashValues.binaryValue();
      long w0 = (long) BitUtil.VH_BE_LONG.get(bytes.bytes, bytes.offset);
      long w1 = (long) BitUtil.VH_BE_LONG.get(bytes.bytes, bytes.offset + 8);
      long w2 = (long) BitUtil.VH_BE_LONG.get(bytes.bytes, bytes.offset + 16);
      long w3 = (long) BitUtil.VH_BE_LONG.get(bytes.bytes, bytes.offset + 24);
      int best = Integer.MAX_VALUE;
      int bestVariant = -1;
      for (int v = 0, i = 0; i < words.length; v++, i += 4) {
        int d = Long.bitCount(w0 ^ words[i]) + Long.bitCount(w1 ^ words[i + 1])
            + Long.bitCount(w2 ^ words[i + 2]) + Long.bitCount(w3 ^ words[i + 3]);
        if (d < best) {
          best = d;
          bestVariant = v;
        }
      }
      if (best <= maxDistance) {
        found.add(new long[] {leaf.docBase + doc, best, bestVariant});
      }
    }
    return found;
  }

  /** The segment's docs among whose chunk terms at least {@code minHits} are in {@code terms}, sorted. */
  private static int[] candidates(LeafReaderContext leaf, BytesRef[] terms, int minHits) throws IOException {
    Terms field = leaf.reader().terms(ImageDocuments.F_CHUNK);
    if (field == null) {
      return new int[0];
    }
    Counts counts = COUNTS.get();
    counts.ensure(leaf.reader().maxDoc());
    byte[] hits = counts.hits;
    int[] touched = counts.touched;
    int n = 0;
    int[] reached = new int[16];
    int r = 0;
    TermsEnum te = field.iterator();
    PostingsEnum postings = null;
    try {
      for (BytesRef term : terms) {
        if (!te.seekExact(term)) {
          continue;
        }
        postings = te.postings(postings, PostingsEnum.NONE);
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
          if (hits[doc] == 0) {
            if (n == touched.length) {
              touched = counts.touched = Arrays.copyOf(touched, 2 * n);
            }
            touched[n++] = doc;
          }
          if (++hits[doc] == minHits) {
            if (r == reached.length) {
              reached = Arrays.copyOf(reached, 2 * r);
            }
            reached[r++] = doc;
          }
        }
      }
    } finally {
      for (int i = 0; i < n; i++) {
        hits[touched[i]] = 0;
      }
    }
    int[] out = Arrays.copyOf(reached, r);
    Arrays.sort(out);
    return out;
  }

  /** The hashes' 64-bit words, 4 per hash, so that verification allocates nothing. */
  private static long[] words(Hash256[] hashes) {
    long[] words = new long[hashes.length * 4];
    for (int v = 0; v < hashes.length; v++) {
      words[4 * v] = hashes[v].w0();
      words[4 * v + 1] = hashes[v].w1();
      words[4 * v + 2] = hashes[v].w2();
      words[4 * v + 3] = hashes[v].w3();
    }
    return words;
  }
}
