package dev.loupe.index;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.Hash256;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ImageIndex} contract. Each backend's test extends this class and supplies
 * {@link #open(Path)}; every test here then runs against that backend.
 */
public abstract class ImageIndexContractTestCase {
  protected static final long SEED = TestSeed.value();
  protected static final Instant T0 = Instant.parse("2024-04-03T10:00:00Z");
  private static final ImageMetadata META = new ImageMetadata("jpeg", 640, 480, new byte[] {1, 2, 3});

  @TempDir protected Path dir;

  /** Opens (or reopens) the backend's index stored under {@code dir}. */
  protected abstract ImageIndex open(Path dir) throws IOException;

  private static Occurrence occ(String source, Instant seen) {
    return Occurrence.of(source, source.startsWith("http") ? source : null, null, "title " + source, seen);
  }

  private static List<String> keys(List<Candidate> candidates) {
    return candidates.stream().map(c -> c.image().signature().pixelKey()).toList();
  }

  @Test
  void sameImageIsStoredOnceWithEveryOccurrence() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    ImageSignature sig = gen.randomSignature();
    try (ImageIndex index = open(dir)) {
      assertEquals(AddOutcome.NEW_IMAGE, index.add(sig, META, occ("https://a.example/1.jpg", T0.plusSeconds(60))));
      assertEquals(AddOutcome.NEW_OCCURRENCE, index.add(sig, META, occ("https://b.example/2.jpg", T0)));
      assertEquals(AddOutcome.SEEN_AGAIN, index.add(sig, META, occ("https://a.example/1.jpg", T0.plusSeconds(120))));
      IndexedImage image = index.imageByPixelKey(sig.pixelKey()).orElseThrow();
      assertEquals(IndexedImage.idOf(sig.pixelKey()), image.id());
      assertEquals(2, image.occurrences().size());
      assertEquals("https://b.example/2.jpg", image.earliest().source(), "oldest occurrence first");
      Occurrence a = image.occurrences().get(1);
      assertEquals(T0.plusSeconds(60), a.firstSeen());
      assertEquals(T0.plusSeconds(120), a.lastSeen());
      assertEquals(1, index.stats().images());
      assertEquals(2, index.stats().occurrences());
    }
  }

  @Test
  void imageIdsPageThroughEveryImageInOrder() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    TreeSet<String> expected = new TreeSet<>();
    try (ImageIndex index = open(dir)) {
      String deleted = null;
      for (int i = 0; i < 25; i++) {
        ImageSignature sig = gen.randomSignature();
        index.add(sig, META, occ("/ids/" + i + ".jpg", T0));
        expected.add(IndexedImage.idOf(sig.pixelKey()));
        if (i == 3) {
          index.commit();
          deleted = IndexedImage.idOf(sig.pixelKey());
        }
      }
      index.deleteImage(deleted);
      expected.remove(deleted);
      List<String> paged = new ArrayList<>();
      String after = null;
      for (List<String> page; !(page = index.imageIds(after, 7)).isEmpty(); after = page.getLast()) {
        assertTrue(page.size() <= 7);
        paged.addAll(page);
      }
      assertEquals(List.copyOf(expected), paged);
      assertEquals(List.of(), index.imageIds(expected.last(), 7));
    }
  }

  @Test
  void writesSurviveCloseAndReopen() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    List<ImageSignature> sigs = new ArrayList<>();
    try (ImageIndex index = open(dir)) {
      for (int i = 0; i < 50; i++) {
        ImageSignature sig = gen.randomSignature();
        sigs.add(sig);
        index.add(sig, META, occ("/photos/" + i + ".jpg", T0));
      }
      index.commit();
    }
    try (ImageIndex index = open(dir)) {
      assertEquals(50, index.stats().images());
      assertTrue(index.stats().lastCommit() != null);
      ImageSignature stored = index.imageByPixelKey(sigs.get(7).pixelKey()).orElseThrow().signature();
      assertEquals(sigs.get(7).hash(), stored.hash());
      assertEquals(sigs.get(7).quality(), stored.quality());
      assertTrue(java.util.Arrays.equals(sigs.get(7).descriptor(), stored.descriptor()));
      assertTrue(index.hasSource("/photos/7.jpg"));
      assertFalse(index.hasSource("/photos/70.jpg"));
      assertTrue(java.util.Arrays.equals(new byte[] {1, 2, 3}, index.thumbnail(IndexedImage.idOf(sigs.get(7).pixelKey())).orElseThrow()));
    }
  }

  @Test
  void hammingSearchFindsExactlyTheImagesWithinTheRadius() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    Hash256 query = gen.randomHash();
    List<ImageSignature> sigs = new ArrayList<>();
    // Near the query at every distance 0..40, plus random background.
    for (int d = 0; d <= 40; d++) {
      sigs.add(gen.signature(gen.flip(query, d), 80, gen.randomDescriptor()));
    }
    for (int i = 0; i < 2000; i++) {
      sigs.add(gen.randomSignature());
    }
    try (ImageIndex index = open(dir)) {
      for (int i = 0; i < sigs.size(); i++) {
        index.add(sigs.get(i), META, occ("/img/" + i + ".png", T0));
      }
      for (int radius : new int[] {0, 5, 15, 16, 24, 31}) {
        Set<String> expected = new TreeSet<>();
        for (ImageSignature s : sigs) {
          if (s.hash().distance(query) <= radius) {
            expected.add(s.pixelKey());
          }
        }
        Set<String> got = new TreeSet<>();
        List<Candidate> found = index.withinDistance(List.of(query), radius, 0, IndexFilter.NONE, 10_000);
        for (Candidate c : found) {
          got.add(c.image().signature().pixelKey());
          assertEquals(c.image().signature().hash().distance(query), c.hashDistance());
        }
        assertEquals(expected, got, "radius " + radius + ", seed " + SEED);
        for (int i = 1; i < found.size(); i++) {
          assertTrue(found.get(i - 1).hashDistance() <= found.get(i).hashDistance(), "sorted by distance");
        }
      }
      assertThrows(IllegalArgumentException.class,
          () -> index.withinDistance(List.of(query), 32, 0, IndexFilter.NONE, 10));
    }
  }

  /**
   * The hardest hashes to find within a radius: their differing bits spread over as many chunks as
   * the radius allows, each chunk off by one bit more than the lookup's neighbourhood of a chunk
   * (1 bit below a radius of 16, 2 bits from 16 to 31), so that as few chunk terms as possible are
   * shared with the query. Searched with several query hashes at once, as the searcher sends the
   * rotations and mirrors; and after deleting some, which must not come back.
   */
  @Test
  void hammingSearchFindsDifferencesSpreadOverTheMostChunks() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    Hash256 query = gen.randomHash();
    List<Hash256> queries = List.of(gen.randomHash(), query, gen.randomHash());
    int[] radii = {0, 1, 7, 8, 15, 16, 17, 23, 24, 30, 31};
    List<ImageSignature> sigs = new ArrayList<>();
    for (int radius : radii) {
      int perChunk = radius / Hash256.CHUNKS + 1;
      sigs.add(gen.signature(spread(query, radius, perChunk), 80, gen.randomDescriptor()));
      sigs.add(gen.signature(spread(query, radius + 1, perChunk), 80, gen.randomDescriptor()));
    }
    for (int i = 0; i < 500; i++) {
      sigs.add(gen.randomSignature());
    }
    try (ImageIndex index = open(dir)) {
      for (int i = 0; i < sigs.size(); i++) {
        index.add(sigs.get(i), META, occ("/spread/" + i + ".png", T0));
        if (i == sigs.size() / 2) {
          index.commit();
        }
      }
      Set<String> deleted = new TreeSet<>();
      for (int i = 1; i < 2 * radii.length; i += 4) {
        assertTrue(index.deleteImage(IndexedImage.idOf(sigs.get(i).pixelKey())));
        deleted.add(sigs.get(i).pixelKey());
      }
      for (int radius : radii) {
        Set<String> expected = new TreeSet<>();
        for (ImageSignature s : sigs) {
          if (!deleted.contains(s.pixelKey()) && queries.stream().anyMatch(q -> s.hash().distance(q) <= radius)) {
            expected.add(s.pixelKey());
          }
        }
        Set<String> got = new TreeSet<>();
        for (Candidate c : index.withinDistance(queries, radius, 0, IndexFilter.NONE, 10_000)) {
          got.add(c.image().signature().pixelKey());
        }
        assertEquals(expected, got, "radius " + radius + ", seed " + SEED);
      }
    }
  }

  /** {@code hash} with {@code bits} bits flipped, {@code perChunk} in each chunk from the first on. */
  private static Hash256 spread(Hash256 hash, int bits, int perChunk) {
    boolean[] b = new boolean[Hash256.BITS];
    for (int i = 0; i < Hash256.BITS; i++) {
      b[i] = hash.bit(i);
    }
    for (int k = 0; k < bits; k++) {
      int bit = 16 * (k / perChunk) + k % perChunk;
      b[bit] = !b[bit];
    }
    Hash256 out = Hash256.ofBits(b);
    assertEquals(bits, out.distance(hash));
    return out;
  }

  @Test
  void lowQualityHashesAreNotReturnedByHashSearch() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    Hash256 hash = gen.randomHash();
    try (ImageIndex index = open(dir)) {
      index.add(gen.signature(hash, 5, gen.randomDescriptor()), META, occ("/blank.png", T0));
      assertEquals(1, index.withinDistance(List.of(hash), 0, 0, IndexFilter.NONE, 10).size());
      assertEquals(0, index.withinDistance(List.of(hash), 0, 20, IndexFilter.NONE, 10).size());
    }
  }

  @Test
  void domainFilterRestrictsBothSearches() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    Hash256 hash = gen.randomHash();
    float[] descriptor = gen.randomDescriptor();
    ImageSignature onA = gen.signature(hash, 80, descriptor);
    ImageSignature onB = gen.signature(gen.flip(hash, 3), 80, descriptor);
    try (ImageIndex index = open(dir)) {
      index.add(onA, META, Occurrence.of("https://img.a.example/x.jpg", "https://img.a.example/x.jpg",
          "https://www.a.example/page", "x", T0));
      index.add(onB, META, occ("https://b.example/y.jpg", T0));
      IndexFilter a = new IndexFilter(Set.of("A.example"));
      assertEquals(List.of(onA.pixelKey()), keys(index.withinDistance(List.of(hash), 10, 0, a, 10)));
      assertEquals(List.of(onA.pixelKey()), keys(index.nearest(descriptor, 10, a)));
      assertEquals(2, index.nearest(descriptor, 10, IndexFilter.NONE).size());
    }
  }

  @Test
  void nearestReturnsTheClosestDescriptorFirst() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    List<ImageSignature> sigs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sigs.add(gen.randomSignature());
    }
    try (ImageIndex index = open(dir)) {
      assertEquals(List.of(), index.nearest(sigs.get(0).descriptor(), 5, IndexFilter.NONE), "empty index");
      for (int i = 0; i < sigs.size(); i++) {
        index.add(sigs.get(i), META, occ("/n/" + i, T0));
      }
      for (int i = 0; i < 20; i++) {
        List<Candidate> top = index.nearest(sigs.get(i).descriptor(), 5, IndexFilter.NONE);
        assertEquals(sigs.get(i).pixelKey(), top.getFirst().image().signature().pixelKey(), "seed " + SEED);
        assertTrue(top.getFirst().similarity() > 0.98f);
      }
    }
  }

  @Test
  void likenessDescriptorsRoundTripAndAreSearchedApartFromDescriptors() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    List<ImageSignature> sigs = new ArrayList<>();
    try (ImageIndex index = open(dir)) {
      assertFalse(index.hasLikeness(), "empty index");
      assertEquals(List.of(), index.alike(gen.randomDescriptor(), 5, IndexFilter.NONE), "empty index");
      for (int i = 0; i < 30; i++) {
        ImageSignature sig = gen.randomSignature().withLikeness(gen.randomDescriptor());
        sigs.add(sig);
        index.add(sig, META, occ("/photos/" + i + ".jpg", T0));
      }
      index.commit();
    }
    try (ImageIndex index = open(dir)) {
      assertTrue(index.hasLikeness());
      for (int i = 0; i < sigs.size(); i += 7) {
        float[] likeness = sigs.get(i).likeness();
        List<Candidate> top = index.alike(likeness, 3, IndexFilter.NONE);
        assertEquals(sigs.get(i).pixelKey(), top.getFirst().image().signature().pixelKey());
        assertEquals(1.0, top.getFirst().similarity(), 0.02);
        assertArrayEquals(likeness, top.getFirst().image().signature().likeness());
        assertArrayEquals(sigs.get(i).descriptor(), top.getFirst().image().signature().descriptor());
      }
    }
  }

  @Test
  void imagesStoredWithoutLikenessAreNeverAlikeButStillNearest() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    ImageSignature old = gen.randomSignature();
    ImageSignature current = gen.randomSignature().withLikeness(gen.randomDescriptor());
    try (ImageIndex index = open(dir)) {
      index.add(old, META, occ("/old.jpg", T0));
      assertFalse(index.hasLikeness(), "only an image without a likeness descriptor");
      assertEquals(List.of(), index.alike(current.likeness(), 5, IndexFilter.NONE));
      assertEquals(List.of(old.pixelKey()), keys(index.nearest(old.descriptor(), 5, IndexFilter.NONE)));
      index.add(current, META, occ("/current.jpg", T0));
      // A new occurrence rebuilds the document from stored fields: it keeps having no likeness.
      index.add(old, META, occ("/old-again.jpg", T0));
      assertTrue(index.hasLikeness());
      assertEquals(List.of(current.pixelKey()), keys(index.alike(current.likeness(), 5, IndexFilter.NONE)));
      assertEquals(0, index.imageByPixelKey(old.pixelKey()).orElseThrow().signature().likeness().length);
    }
  }

  @Test
  void domainsCountImagesPerHostLiveOnly() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    ImageSignature a = gen.randomSignature();
    ImageSignature b = gen.randomSignature();
    ImageSignature c = gen.randomSignature();
    try (ImageIndex index = open(dir)) {
      index.add(a, META, occ("https://img.example.org/a.jpg", T0));
      index.add(a, META, occ("https://www.example.org/a-again.jpg", T0)); // same host without www: one image
      index.add(b, META, occ("https://example.org/b.jpg", T0));
      index.add(b, META, occ("https://other.example/b.jpg", T0));
      index.add(c, META, occ("/local/c.jpg", T0));
      assertEquals(List.of(new DomainCount("example.org", 2), new DomainCount("img.example.org", 1),
          new DomainCount("other.example", 1)), index.domains(10));
      assertEquals(List.of(new DomainCount("example.org", 2)), index.domains(1));
      index.commit();
      index.deleteImage(IndexedImage.idOf(b.pixelKey()));
      assertEquals(List.of(new DomainCount("example.org", 1), new DomainCount("img.example.org", 1)),
          index.domains(10));
      assertThrows(IllegalArgumentException.class, () -> index.domains(0));
    }
  }

  @Test
  void deletingByIdAndByLocation() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    ImageSignature one = gen.randomSignature();
    ImageSignature two = gen.randomSignature();
    try (ImageIndex index = open(dir)) {
      index.add(one, META, occ("https://a.example/1.jpg", T0));
      index.add(one, META, occ("https://b.example/1.jpg", T0));
      index.add(two, META, occ("https://a.example/2.jpg", T0));
      index.commit();
      assertEquals(1, index.deleteLocation("https://a.example/1.jpg"));
      assertEquals(1, index.imageByPixelKey(one.pixelKey()).orElseThrow().occurrences().size());
      assertFalse(index.hasSource("https://a.example/1.jpg"));
      assertEquals(1, index.deleteLocation("https://b.example/1.jpg"));
      assertTrue(index.imageByPixelKey(one.pixelKey()).isEmpty(), "no occurrence left: image removed");
      assertEquals(0, index.deleteLocation("https://nowhere.example/"));
      String id = IndexedImage.idOf(two.pixelKey());
      assertTrue(index.deleteImage(id));
      assertFalse(index.deleteImage(id));
      assertEquals(0, index.stats().images());
      // A deleted image can come back.
      assertEquals(AddOutcome.NEW_IMAGE, index.add(two, META, occ("https://a.example/2.jpg", T0)));
    }
  }

  @Test
  void imagesSharingTheMostVisualWordsComeFirstWithTheirKeypoints() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    List<ImageSignature> sigs = new java.util.ArrayList<>();
    try (ImageIndex index = open(dir)) {
      for (int i = 0; i < 30; i++) {
        ImageSignature sig = gen.randomSignature().withLocal(gen.randomKeypoints(200));
        sigs.add(sig);
        index.add(sig, META, occ("https://" + (i % 2 == 0 ? "even" : "odd") + ".example/" + i + ".jpg", T0));
      }
      index.add(gen.randomSignature(), META, occ("https://even.example/no-keypoints.jpg", T0));
      LocalFeatures target = sigs.get(7).local();
      // A third of the keypoints, each a few bits off: what a crop of an edited copy looks like.
      // A probe misses a keypoint only when two of its word's bits flipped (about 1 in 12 here).
      dev.loupe.features.WordLookup words = dev.loupe.features.VisualWords.probed(gen.noisyPart(target, 70, 6));
      List<KeypointCandidate> found = index.sharingWords(words, 5, IndexFilter.NONE);
      assertEquals(sigs.get(7).pixelKey(), found.getFirst().image().signature().pixelKey());
      assertTrue(found.getFirst().sharedWords() >= 55, "shared words " + found.getFirst().sharedWords());
      // The index keeps each keypoint's signature, not its whole descriptor.
      assertArrayEquals(target.compact(LocalFeatures.STORED_KEYPOINTS).descriptors(),
          found.getFirst().image().signature().local().descriptors());
      assertTrue(found.size() <= 5);
      for (int i = 1; i < found.size(); i++) {
        assertTrue(found.get(i).score() <= found.get(i - 1).score());
        assertTrue(found.get(i).sharedWords() < 10, "unrelated images share few words");
      }
      // Image 7 is on the odd host: filtered to the even host it cannot come back.
      for (KeypointCandidate c : index.sharingWords(words, 5, new IndexFilter(java.util.Set.of("even.example")))) {
        assertNotEquals(sigs.get(7).pixelKey(), c.image().signature().pixelKey());
      }
      assertEquals(List.of(), index.sharingWords(dev.loupe.features.WordLookup.NONE, 5, IndexFilter.NONE));
    }
  }

  @Test
  void keypointsSurviveNewOccurrencesDeletionsAndReopening() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    ImageSignature sig = gen.randomSignature().withLocal(gen.randomKeypoints(120));
    String id = IndexedImage.idOf(sig.pixelKey());
    try (ImageIndex index = open(dir)) {
      index.add(sig, META, occ("https://a.example/1.jpg", T0));
      index.commit();
      index.add(sig, META, occ("https://b.example/1.jpg", T0.plusSeconds(5)));
      index.add(sig, META, occ("https://c.example/1.jpg", T0.plusSeconds(9)));
      assertEquals(1, index.deleteLocation("https://c.example/1.jpg"));
    }
    try (ImageIndex index = open(dir)) {
      assertArrayEquals(sig.local().compact(LocalFeatures.STORED_KEYPOINTS).descriptors(),
          index.localFeatures(id).orElseThrow().descriptors());
      dev.loupe.features.WordLookup words = dev.loupe.features.VisualWords.exact(sig.local());
      assertEquals(id, index.sharingWords(words, 1, IndexFilter.NONE).getFirst().image().id());
      assertTrue(index.localFeatures("00000000000000000000").isEmpty());
    }
  }

  @Test
  void anImageIndexedWithoutKeypointsGainsThemWhenSeenAgain() throws IOException {
    TestSignatures gen = new TestSignatures(SEED);
    ImageSignature old = gen.randomSignature();
    LocalFeatures keypoints = gen.randomKeypoints(50);
    String source = "https://a.example/old.jpg";
    try (ImageIndex index = open(dir)) {
      index.add(old, META, occ(source, T0));
      index.commit();
      assertTrue(index.hasSource(source));
      assertFalse(index.hasSource(source, true), "no keypoints yet: an ingest must analyse it again");
      assertEquals(AddOutcome.SEEN_AGAIN, index.add(old.withLocal(keypoints), META, occ(source, T0.plusSeconds(1))));
      assertTrue(index.hasSource(source, true));
      index.commit();
      assertTrue(index.hasSource(source, true));
      assertArrayEquals(keypoints.compact(LocalFeatures.STORED_KEYPOINTS).descriptors(),
          index.localFeatures(IndexedImage.idOf(old.pixelKey())).orElseThrow().descriptors());
    }
  }
}
