package dev.loupe.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.features.VisualWords;
import dev.loupe.testing.TestSeed;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indexes whose keypoints the first format wrote (full descriptors, five word tables) are upgraded in place. */
class KeypointUpgradeTest {
  private static final Instant T0 = Instant.parse("2024-04-03T10:00:00Z");
  @TempDir Path dir;

  @Test
  void imagesOfTheFirstFormatAreRewrittenFromWhatTheIndexStores() throws IOException {
    TestSignatures gen = new TestSignatures(TestSeed.value());
    List<ImageSignature> sigs = new ArrayList<>();
    Path indexDir = dir.resolve("index");
    try (Directory directory = FSDirectory.open(indexDir);
        IndexWriter writer = LoupeIndexWriters.open(indexDir, directory, 16)) {
      for (int i = 0; i < 3; i++) {
        ImageSignature sig = gen.randomSignature().withLocal(gen.randomKeypoints(400));
        sigs.add(sig);
        writer.addDocument(firstFormat(sig, "https://a.example/" + i + ".jpg", new byte[] {(byte) i, 7}));
      }
    }
    try (LuceneImageIndex index = LuceneImageIndex.open(indexDir)) {
      assertEquals(3, index.outdatedKeypoints());
      LocalFeatures full = sigs.get(1).local();
      // The first format's words are not the ones a query looks up.
      assertTrue(index.sharingWords(VisualWords.exact(full), 5, IndexFilter.NONE).isEmpty());
      assertFalse(index.hasSource("https://a.example/1.jpg", true), "an ingest would analyse it again");

      assertEquals(2, index.upgradeKeypoints(2));
      index.commit();
      assertEquals(1, index.outdatedKeypoints());
      assertEquals(1, index.upgradeKeypoints(10));
      index.commit();
      assertEquals(0, index.outdatedKeypoints());
      assertEquals(0, index.upgradeKeypoints(10));
    }
    try (LuceneImageIndex index = LuceneImageIndex.open(indexDir)) {
      for (int i = 0; i < 3; i++) {
        ImageSignature sig = sigs.get(i);
        String id = IndexedImage.idOf(sig.pixelKey());
        LocalFeatures stored = index.localFeatures(id).orElseThrow();
        assertTrue(stored.isCompact());
        assertEquals(LocalFeatures.STORED_KEYPOINTS, stored.size());
        // What the first format stored (positions in 1/32 px steps), compacted: the same choice.
        byte[] first = sig.local().toBytes();
        LocalFeatures expected = LocalFeatures.fromBytes(first, 0, first.length).compact(LocalFeatures.STORED_KEYPOINTS);
        assertArrayEquals(expected.descriptors(), stored.descriptors());
        assertEquals(id, index.sharingWords(VisualWords.exact(sig.local()), 1, IndexFilter.NONE).getFirst().image().id());
        // The rest of the image is as it was.
        IndexedImage image = index.image(id).orElseThrow();
        assertEquals("https://a.example/" + i + ".jpg", image.occurrences().getFirst().source());
        assertEquals(sig.hash(), image.signature().hash());
        assertArrayEquals(new byte[] {(byte) i, 7}, index.thumbnail(id).orElseThrow());
        assertTrue(index.hasSource("https://a.example/" + i + ".jpg", true));
      }
    }
  }

  /** A document as the first keypoint format wrote it: five 20-bit word tables, the full descriptors, version 1. */
  private static Document firstFormat(ImageSignature sig, String source, byte[] thumbnail) {
    IndexedImage image = new IndexedImage(IndexedImage.idOf(sig.pixelKey()),
        ImageDocuments.stripVariants(sig.withLocal(LocalFeatures.EMPTY)), "jpeg", 640, 480,
        List.of(Occurrence.of(source, source, null, "title", T0)));
    Document doc = ImageDocuments.toDocument(image, thumbnail);
    LocalFeatures local = sig.local();
    SplittableRandom positions = new SplittableRandom(0x4c6f757065L);
    int[][] tables = new int[5][];
    for (int t = 0; t < 5; t++) {
      tables[t] = positions.ints(0, LocalFeatures.DESCRIPTOR_BITS).distinct().limit(20).toArray();
    }
    java.util.Set<Integer> words = new java.util.TreeSet<>();
    long[] d = local.descriptors();
    for (int i = 0; i < local.size(); i++) {
      for (int t = 0; t < 5; t++) {
        int key = 0;
        for (int bit : tables[t]) {
          key = (key << 1) | (int) ((d[i * 4 + (bit >>> 6)] >>> (bit & 63)) & 1L);
        }
        words.add(t << 24 | key);
      }
    }
    for (int word : words) {
      doc.add(new StringField(ImageDocuments.F_WORD, new BytesRef(VisualWords.termBytes(word)), Field.Store.NO));
    }
    doc.add(new StoredField(ImageDocuments.F_KEYPOINTS, local.toBytes()));
    doc.add(new NumericDocValuesField(ImageDocuments.F_KEYPOINT_VERSION, 1));
    return doc;
  }
}
