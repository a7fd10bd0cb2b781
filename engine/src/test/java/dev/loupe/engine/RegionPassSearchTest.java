package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.search.SearchSettings;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The region pass's boxes (a collage's quadrants, a screenshot's picture) searched for a query in
 * which nothing was found as a whole. Keypoints are left out of the search here, so that only the
 * hash can find a copy: a collage's or a screenshot's hash is no copy's, and only the box that
 * holds the picture finds it.
 */
class RegionPassSearchTest {
  private static final int GUTTER = 16;

  @TempDir
  Path dir;

  private static BufferedImage collage(BufferedImage... cells) {
    int cellW = (1600 - 3 * GUTTER) / 2;
    int cellH = (1200 - 3 * GUTTER) / 2;
    BufferedImage out = new BufferedImage(1600, 1200, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 1600, 1200);
    for (int cell = 0; cell < 4; cell++) {
      g.drawImage(cells[cell], GUTTER + (cell & 1) * (cellW + GUTTER), GUTTER + (cell >> 1) * (cellH + GUTTER),
          cellW, cellH, null);
    }
    g.dispose();
    return out;
  }

  private Loupe open(String name, boolean regionPass) throws Exception {
    SearchSettings search = SearchSettings.defaults().withKeypointCandidates(0).withRegionPass(regionPass);
    return Loupe.open(LoupeConfig.defaults(dir.resolve(name)).withSearch(search));
  }

  /** Indexes scenes 0 to 3 into a fresh index named {@code name} and searches it with {@code query}. */
  private List<SearchHit> search(String name, boolean regionPass, BufferedImage query) throws Exception {
    try (Loupe loupe = open(name, regionPass)) {
      for (int i = 0; i < 4; i++) {
        loupe.ingestor().add(TestImages.encode(TestImages.scene(800, 600, i), "jpeg"), ImageRecord.of("/scene-" + i + ".jpg"));
      }
      return loupe.search(TestImages.encode(query, "jpeg"), SearchRequest.defaults());
    }
  }

  private static List<SearchHit> copies(List<SearchHit> hits) {
    return hits.stream().filter(h -> h.match().isCopy()).toList();
  }

  /** The one copy among {@code hits}, which must be a partial match of {@code title}. */
  private static SearchHit onlyPartialCopy(List<SearchHit> hits, String title) {
    List<SearchHit> copies = copies(hits);
    assertEquals(1, copies.size(), hits.toString());
    SearchHit hit = copies.getFirst();
    assertEquals(title, hit.title());
    assertEquals(MatchKind.PARTIAL, hit.match());
    return hit;
  }

  @Test
  void aCollageTileIsFoundByItsQuadrantAndPlacedThere() throws Exception {
    BufferedImage query = collage(TestImages.scene(800, 600, 5001), TestImages.scene(800, 600, 1),
        TestImages.scene(800, 600, 5002), TestImages.scene(800, 600, 5003));
    assertEquals(List.of(), copies(search("data-false", false, query)),
        "without the quadrants the hash finds no copy in a collage");
    SearchHit hit = onlyPartialCopy(search("data-true", true, query), "scene-1");
    Differences.Region region = hit.differences().region();
    // The top right tile of the query, in its pixels: its quadrant without the gutters, to
    // within a few pixels of JPEG blur at the edges.
    int cellW = (1600 - 3 * GUTTER) / 2;
    int cellH = (1200 - 3 * GUTTER) / 2;
    assertEquals(2 * GUTTER + cellW, region.x(), 6);
    assertEquals(GUTTER, region.y(), 6);
    assertEquals(cellW, region.width(), 6);
    assertEquals(cellH, region.height(), 6);
    double share = (double) cellW * cellH / (1600 * 1200);
    assertEquals(share, hit.differences().queryCoverage(), 0.01);
    String fills = "fills " + Math.round(100 * share) + "% of the query";
    assertTrue(hit.differences().describe().stream().anyMatch(s -> s.contains(fills)),
        hit.differences().describe().toString());
  }

  @Test
  void thePictureOfAScreenshotIsFoundInItsFrameAndPlacedThere() throws Exception {
    // The indexed scene-2, scaled to 700 x 525 as a page shows it.
    BufferedImage picture = new BufferedImage(700, 525, BufferedImage.TYPE_3BYTE_BGR);
    var g = picture.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(TestImages.scene(800, 600, 2), 0, 0, 700, 525, null);
    g.dispose();
    BufferedImage query = TestImages.screenshot(picture, false, 11);
    assertEquals(List.of(), copies(search("shot-false", false, query)),
        "without the region pass the hash finds no copy in a screenshot");
    SearchHit hit = onlyPartialCopy(search("shot-true", true, query), "scene-2");
    // The picture's box in the screenshot's pixels, to within the working pixels' scale
    // (the query is worked on at a long side of 512) and a line of JPEG blur.
    Differences.Region region = hit.differences().region();
    double slack = 2.0 * query.getWidth() / 512 + 1;
    assertEquals(TestImages.SCREENSHOT_MARGIN, region.x(), slack, region.toString());
    assertEquals(TestImages.SCREENSHOT_BARS + TestImages.SCREENSHOT_MARGIN, region.y(), slack, region.toString());
    assertEquals(700, region.width(), 2 * slack, region.toString());
    assertEquals(525, region.height(), 2 * slack, region.toString());
  }

  @Test
  void aCollageOfPicturesIndexedNowhereClaimsNoCopy() throws Exception {
    BufferedImage query = collage(TestImages.scene(800, 600, 6001), TestImages.scene(800, 600, 6002),
        TestImages.scene(800, 600, 6003), TestImages.scene(800, 600, 6004));
    List<SearchHit> hits = search("data", true, query);
    assertTrue(hits.stream().noneMatch(h -> h.match().isCopy()), hits.toString());
  }
}
