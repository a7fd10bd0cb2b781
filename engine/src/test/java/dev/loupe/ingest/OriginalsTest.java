package dev.loupe.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads' original bytes: kept by content, served, deleted with their image, swept when orphaned. */
class OriginalsTest {
  @TempDir Path dir;

  private static String upload(byte[] bytes, String suffix) {
    return Originals.UPLOAD_PREFIX + Originals.hash(bytes) + suffix;
  }

  @Test
  void theStoreKeepsBytesByContentAndDropsTemporaryLeftovers() throws Exception {
    Originals store = Originals.open(dir.resolve("originals"));
    byte[] bytes = "some image bytes".getBytes();
    String hash = store.put(bytes);
    assertEquals(Originals.hash(bytes), hash);
    assertEquals(hash, store.put(bytes), "the same bytes twice: one blob");
    assertArrayEquals(bytes, store.get(hash).orElseThrow());
    Path leftover = Files.writeString(dir.resolve("originals").resolve(hash.substring(0, 2)).resolve("x.part"), "half");
    assertEquals(List.of(hash), store.hashes());
    assertFalse(Files.exists(leftover), "a crash's temporary file is removed");
    assertTrue(store.delete(hash));
    assertEquals(Optional.empty(), store.get(hash));

    assertEquals(Optional.of(hash), Originals.hashOf(Originals.UPLOAD_PREFIX + hash + ":0123456789abcdef"));
    assertEquals(Optional.empty(), Originals.hashOf("https://example.org/a.jpg"));
    assertEquals(Optional.empty(), Originals.hashOf(Originals.UPLOAD_PREFIX + "../../etc/passwd"));
  }

  @Test
  void anUploadKeepsItsOriginalUntilItsImageIsDeleted() throws Exception {
    byte[] photo = TestImages.encode(TestImages.scene(320, 240, 11), "jpeg");
    byte[] fromUrl = TestImages.encode(TestImages.scene(320, 240, 12), "jpeg");
    Path originals = dir.resolve("data/originals");
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      String id = loupe.ingestor().add(photo, new ImageRecord(upload(photo, ""), "Photo", null, null)).id();
      loupe.ingestor().add(photo, new ImageRecord(upload(photo, ":00000000000000aa"), "Again", null, null));
      String urlId = loupe.ingestor().add(fromUrl, ImageRecord.of("https://img.example/b.jpg")).id();
      loupe.index().commit();
      assertArrayEquals(photo, loupe.original(loupe.index().image(id).orElseThrow()).orElseThrow());
      assertEquals(Optional.empty(), loupe.original(loupe.index().image(urlId).orElseThrow()),
          "an image indexed from a URL keeps no original");
      // A source that names other bytes than those sent is refused.
      IllegalArgumentException liar = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> loupe.ingestor().add(fromUrl, new ImageRecord(upload(photo, ":00000000000000bb"), "Liar", null, null)));
      assertTrue(liar.getMessage().endsWith("names other bytes than those given"), liar.getMessage());
      assertEquals(List.of(Originals.hash(photo)), Originals.open(originals).hashes());

      // One of two occurrences removed: the original stays; the image deleted: it goes.
      assertEquals(1, loupe.deleteLocation(upload(photo, ":00000000000000aa")));
      assertTrue(Originals.open(originals).contains(Originals.hash(photo)));
      assertTrue(loupe.deleteImage(id));
      assertFalse(Originals.open(originals).contains(Originals.hash(photo)));
    }
  }

  @Test
  void atOpenAnOriginalNoOccurrenceNamesIsRemoved() throws Exception {
    byte[] kept = TestImages.encode(TestImages.scene(320, 240, 21), "jpeg");
    byte[] orphan = TestImages.encode(TestImages.scene(320, 240, 22), "jpeg");
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      loupe.ingestor().add(kept, new ImageRecord(upload(kept, ""), "Kept", null, null));
      loupe.index().commit();
      // As a crash leaves it: the blob written, its image never committed.
      Originals.open(dir.resolve("data/originals")).put(orphan);
    }
    try (Loupe reopened = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      assertEquals(List.of(Originals.hash(kept)), Originals.open(dir.resolve("data/originals")).hashes());
      assertEquals(1, reopened.index().stats().images());
    }
  }
}
