package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.DihedralTransform;
import dev.loupe.features.Edits;
import dev.loupe.image.TestImages;
import dev.loupe.index.IndexedImage;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.ingest.IngestReport;
import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.search.SortOrder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index a folder of generated pictures, then find each one again after everyday edits. Runs on the
 * embedded index; another backend's test subclasses it with its own {@link #config} and expects the
 * same hits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class SearchRoundTripTest {
  private static final int IMAGES = 40;
  private Path dir;
  private Loupe loupe;
  private IngestReport report;

  /** The engine's configuration for a data directory: the embedded index here. */
  protected LoupeConfig config(Path dataDir) throws java.io.IOException {
    return LoupeConfig.defaults(dataDir);
  }

  @BeforeAll
  void indexFolder(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    Path photos = Files.createDirectories(dir.resolve("photos"));
    for (int i = 0; i < IMAGES; i++) {
      Files.write(photos.resolve("scene-" + i + ".jpg"), TestImages.encode(TestImages.scene(800, 600, i), "jpeg"));
      Files.writeString(photos.resolve("scene-" + i + ".txt"), "Scene number " + i + "\n");
    }
    // The same pixels again under another name: stored once, two occurrences.
    Files.copy(photos.resolve("scene-3.jpg"), photos.resolve("copy-of-3.jpg"));
    loupe = Loupe.open(config(dir.resolve("data")));
    report = loupe.ingestor().run(DirectorySource.scan(photos), p -> { });
  }

  @AfterAll
  void close() throws Exception {
    loupe.close();
  }

  private static BufferedImage original(int i) {
    return TestImages.scene(800, 600, i);
  }

  private SearchHit top(BufferedImage query, String format) throws Exception {
    List<SearchHit> hits = loupe.search(TestImages.encode(query, format), SearchRequest.defaults());
    assertFalse(hits.isEmpty());
    return hits.getFirst();
  }

  @Test
  void ingestReport() {
    assertEquals(IMAGES, report.newImages());
    assertEquals(1, report.newOccurrences());
    assertEquals(List.of(), report.failures());
  }

  @Test
  void theSameFileIsAnExactMatchWithItsSidecarTitleAndBothOccurrences() throws Exception {
    byte[] bytes = Files.readAllBytes(dir.resolve("photos/scene-3.jpg"));
    SearchHit hit = loupe.search(bytes, SearchRequest.defaults()).getFirst();
    assertEquals(1, hit.index());
    assertEquals(MatchKind.EXACT, hit.match());
    assertEquals(1.0, hit.score());
    assertEquals(800, hit.width());
    assertEquals(600, hit.height());
    assertEquals(2, hit.image().occurrences().size());
    assertTrue(Set.of("Scene number 3", "copy-of-3").contains(hit.title()), hit.title());
  }

  @Test
  void editedCopiesAreFoundAsNearDuplicates() throws Exception {
    List<UnaryOperator<BufferedImage>> edits = List.of(
        img -> Edits.scaleArea(img, 0.25),
        Edits::grayscale,
        img -> Edits.transform(img, DihedralTransform.ROTATE_90),
        img -> Edits.transform(img, DihedralTransform.MIRROR_X),
        img -> Edits.pad(img, 0.15, Color.WHITE));
    for (int i = 0; i < 8; i++) {
      String expectedId = idOf(i);
      for (int e = 0; e < edits.size(); e++) {
        SearchHit hit = top(edits.get(e).apply(original(i)), "jpeg");
        assertEquals(expectedId, hit.id(), "image " + i + " edit " + e);
        assertEquals(MatchKind.NEAR_DUPLICATE, hit.match(), "image " + i + " edit " + e + " distance " + hit.hashDistance());
        assertTrue(hit.score() > 0.75 && hit.score() < 1, "score " + hit.score());
      }
      // Low JPEG quality
      SearchHit lowQuality = top(Edits.jpeg(original(i), 15), "png");
      assertEquals(expectedId, lowQuality.id());
      assertEquals(MatchKind.NEAR_DUPLICATE, lowQuality.match());
    }
  }

  @Test
  void cropsRotationsCaptionsAndMirroredCropsAreFoundByKeypointsWithTheirDifferences() throws Exception {
    for (int i = 0; i < 4; i++) {
      String expectedId = idOf(i);
      // A corner keeping 30% of the picture, then shrunk to half its area (310 x 233 pixels). Shrunk
      // to a quarter (219 x 165) the corner of one of these four scenes keeps too few of the 256
      // keypoints the index stores per image to be verified.
      SearchHit crop = top(Edits.scaleArea(Edits.crop(original(i), 0.3, i % 2, 1), 0.5), "jpeg");
      assertEquals(expectedId, crop.id(), "crop of " + i);
      assertEquals(MatchKind.PARTIAL, crop.match());
      assertTrue(crop.score() >= 0.75 && crop.score() < 1, "score " + crop.score());
      assertTrue(crop.differences().cropped(), crop.differences().toString());
      assertEquals(0.3, crop.differences().hitCoverage(), 0.06);
      assertEquals(Math.sqrt(2), crop.differences().scale(), 0.12, "the hit shows the region 1.41 times as large");

      SearchHit turned = top(rotate(original(i), 33), "jpeg");
      assertEquals(expectedId, turned.id(), "rotation of " + i);
      assertTrue(turned.match().isCopy());
      assertEquals(33, turned.differences().rotation(), 3);

      SearchHit captioned = top(Edits.caption(original(i), 0.3, "nobody expects this view"), "jpeg");
      assertEquals(expectedId, captioned.id(), "caption on " + i);
      assertEquals(MatchKind.NEAR_DUPLICATE, captioned.match());

      SearchHit mirroredCrop = top(Edits.transform(Edits.crop(original(i), 0.5, 0.5, 0.5), DihedralTransform.MIRROR_X), "jpeg");
      assertEquals(expectedId, mirroredCrop.id(), "mirrored crop of " + i);
      assertEquals(MatchKind.PARTIAL, mirroredCrop.match());
      assertTrue(mirroredCrop.differences().mirrored());

      SearchHit grey = top(Edits.grayscale(original(i)), "jpeg");
      assertEquals(MatchKind.NEAR_DUPLICATE, grey.match());
      assertTrue(grey.differences().recoloured(), grey.differences().toString());
      assertTrue(grey.differences().describe().contains("recoloured"));
    }
  }

  @Test
  void aPictureInsideALargerQueryIsReportedWithItsRegion() throws Exception {
    // The original as the right half of a wider picture (a screenshot beside a panel), then the
    // same mirrored, where it is the left half.
    BufferedImage side = new BufferedImage(1600, 600, BufferedImage.TYPE_3BYTE_BGR);
    var g = side.createGraphics();
    g.drawImage(TestImages.scene(800, 600, 97), 0, 0, null);
    g.drawImage(original(2), 800, 0, null);
    g.dispose();
    SearchHit hit = top(side, "png");
    assertEquals(idOf(2), hit.id());
    assertTrue(hit.match().isCopy(), hit.match().toString());
    Differences.Region region = hit.differences().region();
    assertTrue(region != null, hit.differences().toString());
    assertEquals(800, region.x(), 30);
    assertEquals(0, region.y(), 30);
    assertEquals(800, region.width(), 40);
    assertEquals(600, region.height(), 40);
    assertEquals(0.5, hit.differences().queryCoverage(), 0.05);

    SearchHit mirrored = top(Edits.transform(side, DihedralTransform.MIRROR_X), "png");
    assertEquals(idOf(2), mirrored.id());
    assertTrue(mirrored.differences().mirrored());
    assertEquals(0, mirrored.differences().region().x(), 30);
    assertEquals(800, mirrored.differences().region().width(), 40);
  }

  @Test
  void picturesSharingOnlyACaptionAreNotCopies() throws Exception {
    try (Loupe own = Loupe.open(config(dir.resolve("caption-data")))) {
      for (int i = 0; i < 5; i++) {
        own.ingestor().add(TestImages.encode(Edits.caption(original(20 + i), 0.25, "breaking news nobody expects"), "jpeg"),
            ImageRecord.of("/captioned-" + i + ".jpg"));
      }
      for (int i = 0; i < 5; i++) {
        // Two words in common, in the same font, elsewhere on the line: their keypoints align on a
        // region too small to be a copy of either picture.
        byte[] query = TestImages.encode(Edits.caption(original(30 + i), 0.25, "from my window nobody expects"), "jpeg");
        List<SearchHit> hits = own.search(query, SearchRequest.defaults());
        assertTrue(hits.stream().noneMatch(h -> h.match().isCopy()), "query " + i + ": " + hits);
      }
      // A captioned copy of an indexed picture still is one.
      SearchHit copy = own.search(TestImages.encode(Edits.caption(original(22), 0.3, "another caption"), "jpeg"),
          SearchRequest.defaults()).getFirst();
      assertTrue(copy.match().isCopy(), copy.toString());
      assertEquals("captioned-2", copy.title());
    }
  }

  @Test
  void mostChangedCopiesComeFirstWhenAsked() throws Exception {
    try (Loupe own = Loupe.open(config(dir.resolve("changed-data")))) {
      own.ingestor().add(TestImages.encode(original(9), "png"), ImageRecord.of("/same.png"));
      own.ingestor().add(TestImages.encode(Edits.crop(original(9), 0.6, 0, 0), "png"), ImageRecord.of("/cropped.png"));
      own.ingestor().add(TestImages.encode(Edits.grayscale(Edits.scaleArea(Edits.crop(original(9), 0.4, 1, 1), 0.25)), "png"),
          ImageRecord.of("/cropped-shrunk-and-greyed.png"));
      byte[] query = TestImages.encode(original(9), "jpeg");
      SearchRequest copies = SearchRequest.defaults().withKinds(
          Set.of(MatchKind.EXACT, MatchKind.NEAR_DUPLICATE, MatchKind.PARTIAL));
      List<SearchHit> changed = own.search(query, copies.withSort(SortOrder.MOST_CHANGED));
      assertEquals(List.of("cropped-shrunk-and-greyed", "cropped", "same"), changed.stream().map(SearchHit::title).toList());
      assertTrue(changed.get(0).differences().amount() > changed.get(1).differences().amount());
    }
  }

  @Test
  void anUnrelatedPictureGetsNoCopyClaim() throws Exception {
    int similar = 0;
    for (int seed = 1000; seed < 1010; seed++) {
      List<SearchHit> hits = loupe.search(TestImages.encode(TestImages.scene(800, 600, seed), "jpeg"),
          SearchRequest.defaults());
      assertTrue(hits.stream().noneMatch(h -> h.match().isCopy()), "seed " + seed + ": " + hits);
      // Similar hits only above the likeness floor (cosine 0.70, score 0.525), under the copy band.
      assertTrue(hits.stream().allMatch(h -> h.score() >= 0.525 && h.score() < 0.75), "seed " + seed + ": " + hits);
      similar += hits.size();
    }
    assertTrue(similar > 0, "pictures of the same kind are found similar");
  }

  @Test
  void blankImagesNeverClaimCopiesButIdenticalPixelsAreExact() throws Exception {
    byte[] white = TestImages.encode(Edits.bgr(solid(new Color(250, 250, 250))), "png");
    byte[] grey = TestImages.encode(Edits.bgr(solid(new Color(200, 200, 200))), "png");
    try (Loupe own = Loupe.open(config(dir.resolve("blank-data")))) {
      own.ingestor().add(white, ImageRecord.of("/blank/white.png"));
      own.ingestor().add(TestImages.encode(TestImages.scene(640, 480, 5), "png"), ImageRecord.of("/scene.png"));
      List<SearchHit> hits = own.search(grey, SearchRequest.defaults());
      assertTrue(hits.stream().noneMatch(h -> h.match().isCopy()), hits.toString());
      assertEquals(MatchKind.EXACT, own.search(white, SearchRequest.defaults()).getFirst().match());
    }
  }

  @Test
  void filtersAndSorts() throws Exception {
    try (Loupe own = Loupe.open(config(dir.resolve("sort-data")))) {
      byte[] small = TestImages.encode(Edits.scaleArea(original(7), 0.25), "png");
      byte[] large = TestImages.encode(original(7), "png");
      own.ingestor().add(large, new ImageRecord("https://b.example/large.png", "large", null,
          Instant.parse("2024-05-01T00:00:00Z")));
      own.ingestor().add(small, new ImageRecord("https://a.example/small.png", "small",
          "https://www.a.example/page", Instant.parse("2020-01-01T00:00:00Z")));
      byte[] query = TestImages.encode(Edits.scaleArea(original(7), 0.5), "jpeg");
      SearchRequest copies = SearchRequest.defaults().withKinds(Set.of(MatchKind.EXACT, MatchKind.NEAR_DUPLICATE));
      List<SearchHit> oldest = own.search(query, copies.withSort(SortOrder.OLDEST));
      assertEquals(List.of("small", "large"), oldest.stream().map(SearchHit::title).toList());
      assertEquals(List.of(1, 2), oldest.stream().map(SearchHit::index).toList());
      List<SearchHit> largest = own.search(query, copies.withSort(SortOrder.LARGEST));
      assertEquals(List.of("large", "small"), largest.stream().map(SearchHit::title).toList());
      List<SearchHit> onA = own.search(query, copies.withDomains(Set.of("a.example")));
      assertEquals(List.of("small"), onA.stream().map(SearchHit::title).toList());
      assertEquals("https://www.a.example/page", onA.getFirst().pageUrl());
      assertEquals(1, own.search(query, copies.withTopK(1)).size());
    }
  }

  private String idOf(int i) throws Exception {
    byte[] bytes = Files.readAllBytes(dir.resolve("photos/scene-" + i + ".jpg"));
    return IndexedImage.idOf(loupe.analyzer().analyze(bytes).signature().pixelKey());
  }

  private static BufferedImage rotate(BufferedImage image, double degrees) {
    return Edits.rotate(image, degrees, Color.BLACK);
  }

  private static BufferedImage solid(Color c) {
    BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, 640, 480);
    g.dispose();
    return img;
  }
}
