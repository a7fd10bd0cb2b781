package dev.loupe.index;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing process at random points and checks that every committed image survives. */
class CrashSafetyTest {
  private static final long SEED = TestSeed.value();

  @TempDir Path dir;

  @Test
  void killedWriterLosesAtMostItsUncommittedBatch() throws Exception {
    Path indexDir = dir.resolve("index");
    long expectedAtLeast = 0;
    for (int round = 0; round < 3; round++) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          WriterProcess.class.getName(), indexDir.toString(), Long.toString(SEED + round))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      long committed = 0;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        // Let it commit a few batches (a different number each round), then kill it mid-batch.
        int commitsToSee = 2 + round;
        for (String line; commitsToSee > 0 && (line = out.readLine()) != null; ) {
          if (line.startsWith("committed ")) {
            committed = Long.parseLong(line.substring("committed ".length()));
            commitsToSee--;
          }
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close().
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
      }
      assertTrue(committed > 0, "the child never committed; seed " + SEED);
      expectedAtLeast += committed;

      try (FSDirectory directory = FSDirectory.open(indexDir); CheckIndex check = new CheckIndex(directory)) {
        CheckIndex.Status status = check.checkIndex();
        assertTrue(status.clean, "index not clean after kill, round " + round + ", seed " + SEED);
      }
      try (LuceneImageIndex index = LuceneImageIndex.open(indexDir)) {
        long images = index.stats().images();
        // Each round adds new random images; every committed one must be there, nothing half-written.
        assertTrue(images >= expectedAtLeast, "have " + images + ", committed " + expectedAtLeast + ", seed " + SEED);
        assertEquals(images, index.stats().occurrences());
        expectedAtLeast = images;
        assertEquals(1, index.withinDistance(
            List.of(index.nearest(new TestSignatures(TestSeed.value()).randomDescriptor(), 1, IndexFilter.NONE).getFirst()
                .image().signature().hash()), 0, 0, IndexFilter.NONE, 5).size());
      }
    }
  }
}
