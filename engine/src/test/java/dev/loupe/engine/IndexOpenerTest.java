package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.TestImages;
import dev.loupe.index.ImageIndex;
import dev.loupe.index.LuceneImageIndex;
import dev.loupe.ingest.DirectorySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine works on whatever index its configuration opens, and only there. */
class IndexOpenerTest {
  @TempDir Path dir;

  @Test
  void theEngineIndexesIntoTheIndexItsConfigurationOpens() throws Exception {
    Path elsewhere = dir.resolve("elsewhere");
    List<Path> opened = new ArrayList<>();
    IndexOpener opener = dataDir -> {
      opened.add(dataDir);
      return LuceneImageIndex.open(elsewhere);
    };
    Path data = dir.resolve("data");
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Files.write(photos.resolve("photo.png"), TestImages.encode(TestImages.scene(320, 240, 1), "png"));
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(data).withIndex(opener))) {
      assertEquals(List.of(data), opened);
      loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
      ImageIndex index = loupe.index();
      assertEquals(1, index.stats().images());
    }
    assertFalse(Files.exists(data.resolve("index")), "the embedded index was not created");
    try (ImageIndex reopened = LuceneImageIndex.open(elsewhere)) {
      assertEquals(1, reopened.stats().images());
    }
  }

  @Test
  void theDefaultIsTheEmbeddedIndexInTheDataDirectory() throws Exception {
    LoupeConfig config = LoupeConfig.defaults(dir);
    assertSame(IndexOpener.EMBEDDED, config.index());
    try (Loupe loupe = Loupe.open(config)) {
      assertTrue(loupe.index() instanceof LuceneImageIndex);
    }
    assertTrue(Files.isDirectory(dir.resolve("index")));
  }
}
