package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.Edits;
import dev.loupe.image.TestImages;
import dev.loupe.index.IndexedImage;
import dev.loupe.ingest.DirectorySource;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simple pictures through the real index: flags of one layout in other colours are not copies of
 * each other, while a flag's grey or resized version still is; a crop or resize of a picture is not
 * called recoloured, a grey version is.
 */
class SimplePictureSearchTest {
  private static final Color RED = new Color(206, 41, 57);
  private static final Color WHITE = Color.WHITE;
  private static final Color GREEN = new Color(71, 112, 80);
  private static final Color EMERALD = new Color(0, 158, 96);
  private static final Color YELLOW = new Color(252, 209, 22);
  private static final Color BLUE = new Color(58, 117, 196);

  @TempDir static Path dir;
  private static Loupe loupe;

  @BeforeAll
  static void indexFlagsAndScene() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("pictures"));
    // Only the green-yellow-blue tricolour and the blue cross are indexed.
    Files.write(folder.resolve("tricolour.png"), TestImages.encode(tricolour(EMERALD, YELLOW, BLUE), "png"));
    Files.write(folder.resolve("cross.png"), TestImages.encode(cross(BLUE, YELLOW), "png"));
    Files.write(folder.resolve("scene.jpg"), TestImages.encode(TestImages.scene(800, 600, 7), "jpeg"));
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    loupe.ingestor().run(DirectorySource.scan(folder), p -> { });
  }

  @AfterAll
  static void close() throws Exception {
    loupe.close();
  }

  /**
   * A flag drawn as flag icons are: a rounded, glossy, outlined button with a shadow on white,
   * 480 x 360, the design clipped to the button.
   */
  static BufferedImage flag(Consumer<Graphics2D> design) {
    var image = new BufferedImage(480, 360, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 480, 360);
    g.setColor(new Color(180, 180, 180));
    g.fillRoundRect(46, 56, 400, 270, 40, 40);
    var button = new RoundRectangle2D.Double(40, 45, 400, 270, 40, 40);
    g.setClip(button);
    design.accept(g);
    g.setPaint(new GradientPaint(0, 45, new Color(255, 255, 255, 110), 0, 180, new Color(255, 255, 255, 0)));
    g.fillRect(40, 45, 400, 135);
    g.setClip(null);
    g.setColor(new Color(0, 0, 0, 60));
    g.setStroke(new BasicStroke(3));
    g.draw(button);
    g.dispose();
    return image;
  }

  /** Three horizontal bands. */
  static BufferedImage tricolour(Color top, Color middle, Color bottom) {
    return flag(g -> {
      Color[] bands = {top, middle, bottom};
      for (int i = 0; i < 3; i++) {
        g.setColor(bands[i]);
        g.fillRect(40, 45 + i * 90, 400, 91);
      }
    });
  }

  /** A Nordic cross. */
  static BufferedImage cross(Color field, Color bar) {
    return flag(g -> {
      g.setColor(field);
      g.fillRect(40, 45, 400, 270);
      g.setColor(bar);
      g.fillRect(150, 45, 54, 270);
      g.fillRect(40, 153, 400, 54);
    });
  }

  private static List<SearchHit> search(BufferedImage query, String format) throws Exception {
    return loupe.search(TestImages.encode(query, format), SearchRequest.defaults());
  }

  private static String idOf(String file) throws Exception {
    return IndexedImage.idOf(loupe.analyzer().analyze(Files.readAllBytes(dir.resolve("pictures").resolve(file)))
        .signature().pixelKey());
  }

  private static void assertNoCopy(List<SearchHit> hits) {
    for (SearchHit h : hits) {
      assertFalse(h.match().isCopy(), "a different picture claimed as a copy: " + h.source() + " " + h.match());
    }
  }

  @Test
  void theSameLayoutInOtherColoursIsNotACopy() throws Exception {
    List<SearchHit> hits = search(tricolour(RED, WHITE, GREEN), "png");
    assertFalse(hits.isEmpty());
    assertNoCopy(hits);
    // The layout is still found, as similar.
    assertEquals(idOf("tricolour.png"), hits.getFirst().id());
    assertEquals(MatchKind.SIMILAR, hits.getFirst().match());
  }

  @Test
  void aCrossWithSwappedColoursIsNotACopy() throws Exception {
    assertNoCopy(search(cross(YELLOW, BLUE), "png"));
  }

  @Test
  void theGreyVersionOfAFlagIsACopy() throws Exception {
    SearchHit top = search(Edits.grayscale(tricolour(EMERALD, YELLOW, BLUE)), "jpeg").getFirst();
    assertEquals(idOf("tricolour.png"), top.id());
    assertEquals(MatchKind.NEAR_DUPLICATE, top.match());
  }

  @Test
  void theResizedAndRecompressedFlagIsACopy() throws Exception {
    BufferedImage half = Edits.resize(cross(BLUE, YELLOW), 240, 180);
    SearchHit top = search(half, "jpeg").getFirst();
    assertEquals(idOf("cross.png"), top.id());
    assertEquals(MatchKind.NEAR_DUPLICATE, top.match());
  }

  @Test
  void aCropIsNotRecolouredAndAGreyCopyIs() throws Exception {
    BufferedImage scene = TestImages.scene(800, 600, 7);
    SearchHit crop = search(scene.getSubimage(150, 100, 480, 360), "jpeg").getFirst();
    assertEquals(idOf("scene.jpg"), crop.id());
    assertTrue(crop.match().isCopy());
    assertNotNull(crop.differences());
    assertFalse(crop.differences().recoloured(), "a crop called recoloured: " + crop.differences());
    assertTrue(crop.differences().cropped());

    SearchHit resized = search(Edits.resize(scene, 400, 300), "jpeg").getFirst();
    assertEquals(idOf("scene.jpg"), resized.id());
    assertNotNull(resized.differences());
    assertFalse(resized.differences().recoloured(), "a resize called recoloured: " + resized.differences());

    SearchHit grey = search(Edits.grayscale(scene), "jpeg").getFirst();
    assertEquals(idOf("scene.jpg"), grey.id());
    assertNotNull(grey.differences());
    assertTrue(grey.differences().recoloured(), "a grey copy not called recoloured: " + grey.differences());
  }
}
