package dev.loupe.bench;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.LocalFeatures;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.LuceneImageIndex;
import dev.loupe.index.Occurrence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexDiskUseTest {
  @TempDir Path dir;

  @Test
  void kindsOfFiles() {
    assertEquals("stored_fields", IndexDiskUse.kind("fdt"));
    assertEquals("terms_and_postings", IndexDiskUse.kind("doc"));
    assertEquals("vectors", IndexDiskUse.kind("veq"));
    assertEquals("doc_values", IndexDiskUse.kind("dvd"));
    assertEquals("other", IndexDiskUse.kind("si"));
  }

  @Test
  void accountsForTheIndexIncludingCompoundFiles() throws IOException {
    Random random = TestSeed.random(5);
    KeypointPool pool = new KeypointPool(List.of(new LocalFeatures(100, 100, new float[50], new float[50],
        random.longs(50 * LocalFeatures.DESCRIPTOR_WORDS).toArray(), new byte[150])));
    try (LuceneImageIndex index = LuceneImageIndex.open(dir)) {
      for (int i = 0; i < 20; i++) {
        index.add(ScaleBench.randomSignature(random, 16).withLocal(pool.sample(random)),
            new ImageMetadata("jpeg", 100, 100, new byte[0]),
            Occurrence.of("img" + i, null, null, "img" + i, Instant.EPOCH));
      }
      index.commit();
    }
    Map<String, Long> kinds = IndexDiskUse.byKind(dir);
    long total = kinds.values().stream().mapToLong(Long::longValue).sum();
    long onDisk;
    try (Stream<Path> files = Files.list(dir)) {
      onDisk = files.filter(p -> !p.getFileName().toString().equals("write.lock"))
          .mapToLong(p -> p.toFile().length()).sum();
    }
    assertTrue(kinds.get("stored_fields") > 0, kinds.toString());
    assertTrue(kinds.get("terms_and_postings") > 0, kinds.toString());
    assertTrue(kinds.get("vectors") > 0, kinds.toString());
    // Only the compound files' own headers and footers are not attributed.
    assertTrue(total <= onDisk && total > 0.95 * onDisk, total + " of " + onDisk);

    // By field: each image stores its 50 keypoints in the compact form, 9 bytes each plus a header,
    // and is found by one word per distinct keypoint (the pool's 50 drawn 50 times with replacement:
    // about 32 distinct).
    Map<String, long[]> fields = IndexDiskUse.byField(dir);
    assertEquals(20L * (8 + 9 * 50), fields.get("kp")[0]);
    assertTrue(fields.get("vw")[1] > 20 * 20 && fields.get("vw")[1] <= 20 * 50, "postings " + fields.get("vw")[1]);
    assertEquals(20, fields.get("id")[1]);

    // A sample of every fourth document estimates the stored bytes (each image's keypoints take the
    // same bytes here, so exactly) and leaves the postings, read from the terms, exact.
    Map<String, long[]> sampled = IndexDiskUse.byField(dir, 5);
    assertEquals(20L * (8 + 9 * 50), sampled.get("kp")[0]);
    assertEquals(fields.get("vw")[1], sampled.get("vw")[1]);
    assertEquals(fields.get("id")[0], sampled.get("id")[0], 0.25 * fields.get("id")[0]);
    assertThrows(IllegalArgumentException.class, () -> IndexDiskUse.byField(dir, 0));
  }
}
