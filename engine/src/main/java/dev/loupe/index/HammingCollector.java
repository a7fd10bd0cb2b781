package dev.loupe.index;

import dev.loupe.features.Hash256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.util.BitUtil;
import org.apache.lucene.util.BytesRef;

/**
 * Verifies the candidates of a chunk-term query against the full hash: collects {doc, distance,
 * variant} for documents within the radius of one of the query's hashes and of enough quality.
 * One per index slice; {@link Manager} merges them.
 */
final class HammingCollector extends SimpleCollector {
  /** The query hashes' words, 4 per hash, so that verification allocates nothing. */
  private final long[] words;
  private final int maxDistance;
  private final int minQuality;
  final List<long[]> found = new ArrayList<>();
  private BinaryDocValues hashValues;
  private NumericDocValues qualities;
  private int docBase;

  HammingCollector(Hash256[] hashes, int maxDistance, int minQuality) {
    this.words = new long[hashes.length * 4];
    for (int v = 0; v < hashes.length; v++) {
      words[4 * v] = hashes[v].w0();
      words[4 * v + 1] = hashes[v].w1();
      words[4 * v + 2] = hashes[v].w2();
      words[4 * v + 3] = hashes[v].w3();
    }
    this.maxDistance = maxDistance;
    this.minQuality = minQuality;
  }

  @Override
  protected void doSetNextReader(LeafReaderContext context) throws IOException {
    docBase = context.docBase;
    hashValues = context.reader().getBinaryDocValues(ImageDocuments.F_HASH);
    qualities = context.reader().getNumericDocValues(ImageDocuments.F_QUALITY);
  }

  @Override
  public void collect(int doc) throws IOException {
    if (hashValues == null || !hashValues.advanceExact(doc)) {
      return;
    }
    if (qualities == null || !qualities.advanceExact(doc) || qualities.longValue() < minQuality) {
      return;
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
      found.add(new long[] {docBase + doc, best, bestVariant});
    }
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }

  /** Makes one collector per slice and concatenates what they found. */
  record Manager(Hash256[] hashes, int maxDistance, int minQuality)
        implements CollectorManager<HammingCollector, List<long[]>> {
    @Override
    public HammingCollector newCollector() {
      return new HammingCollector(hashes, maxDistance, minQuality);
    }

    @Override
    public List<long[]> reduce(Collection<HammingCollector> collectors) {
      List<long[]> all = new ArrayList<>();
      collectors.forEach(c -> all.addAll(c.found));
      return all;
    }
  }
}
