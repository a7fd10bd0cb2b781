package dev.loupe.index.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loupe.features.ImageSignature;
import dev.loupe.index.AddOutcome;
import dev.loupe.index.ImageMetadata;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.index.TestSignatures;
import dev.loupe.testing.TestSeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two writers (two index instances, as two {@code loupe} processes would be, one through the nodes
 * and one through ZooKeeper) add sightings of the same images at once: optimistic concurrency keeps
 * every occurrence, and exactly one writer sees each image as new.
 */
class ConcurrentWritersTest {
  private static final long SEED = TestSeed.value();
  private static final Instant T0 = Instant.parse("2024-04-03T10:00:00Z");
  private static final ImageMetadata META = new ImageMetadata("jpeg", 640, 480, new byte[] {1});

  @Test
  void twoWritersOnTheSameImagesLoseNoOccurrence() throws Exception {
    SolrIndexAddress address = SharedSolrCluster.newCollection("writers");
    TestSignatures gen = new TestSignatures(SEED);
    List<ImageSignature> images = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      images.add(gen.randomSignature());
    }
    Set<Integer> sizes = Set.of(TestSignatures.DIMENSIONS);
    Map<AddOutcome, Integer> outcomes = new ConcurrentHashMap<>();
    try (SolrImageIndex a = SolrImageIndex.open(address, sizes);
        SolrImageIndex b = SolrImageIndex.open(SharedSolrCluster.throughZooKeeper(address), sizes)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Callable<Void>> writers = new ArrayList<>();
      for (SolrImageIndex index : List.of(a, b)) {
        String writer = index == a ? "a" : "b";
        writers.add(() -> {
          for (int round = 0; round < 3; round++) {
            for (int i = 0; i < images.size(); i++) {
              // Each writer adds its own source three times (new, then seen again twice).
              AddOutcome outcome = index.add(images.get(i), META, Occurrence.of("/" + writer + "/" + i + ".jpg",
                  null, null, writer, T0.plusSeconds(round)));
              outcomes.merge(outcome, 1, Integer::sum);
            }
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(writers)) {
        f.get();
      }
      pool.shutdown();
      a.commit();
      for (int i = 0; i < images.size(); i++) {
        IndexedImage image = b.imageByPixelKey(images.get(i).pixelKey()).orElseThrow();
        assertEquals(Set.of("/a/" + i + ".jpg", "/b/" + i + ".jpg"),
            image.occurrences().stream().map(Occurrence::source).collect(Collectors.toSet()), "seed " + SEED);
        for (Occurrence o : image.occurrences()) {
          assertEquals(T0.plusSeconds(2), o.lastSeen(), "the last sighting is kept: " + o);
        }
      }
      assertEquals(20, outcomes.get(AddOutcome.NEW_IMAGE), outcomes.toString());
      assertEquals(20, outcomes.get(AddOutcome.NEW_OCCURRENCE), outcomes.toString());
      assertEquals(80, outcomes.get(AddOutcome.SEEN_AGAIN), outcomes.toString());
      assertEquals(20, a.stats().images());
      assertEquals(40, b.stats().occurrences());
    }
  }
}
