package dev.loupe.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The likeness descriptor on the demo collection's photographs and Tux Paint stamps (read from
 * {@code demo/images}) and on seeded drawings: it is deterministic and of unit length, keeps a
 * resized copy close, and answers a photograph with a photograph. The precision on the likeness
 * dev set is measured by {@code bench/run likeness}, not here.
 */
class LikenessDescriptorTest {
  private static final long SEED = Long.getLong("tests.seed", 20261202L);
  private static final String SEED_MESSAGE = " (seed " + SEED + ", rerun with -Dtests.seed=" + SEED + ")";
  private static final Path DEMO = Path.of(System.getProperty("loupe.demo.dir", "../demo")).resolve("images");
  private static final List<String> PHOTOGRAPHS = List.of(
      "lomiri-aitzgorri.jpg", "lomiri-picosdeeuropa.jpg", "lomiri-sunset.jpg", "lomiri-bridge.jpg", "lomiri-life.jpg");
  private static final List<String> STAMPS = List.of(
      "stamp-animals-frog-1.png", "stamp-food-apple-sierra-beauty.png", "stamp-seasonal-grave-a.png",
      "stamp-sports-tennis-racket.png", "stamp-town-inukshuk-photo.png", "stamp-vehicles-toy-train.png");

  private final ImageLoader loader = new ImageLoader(ImageLimits.defaults());
  private final LikenessDescriptor descriptor = new LikenessDescriptor();

  private DecodedImage demo(String name) throws Exception {
    return loader.decode(Files.readAllBytes(DEMO.resolve(name)), 512);
  }

  @Test
  void deterministicAndOfUnitLength() throws Exception {
    DecodedImage image = demo("lomiri-sunset.jpg");
    float[] a = descriptor.compute(image);
    float[] b = new LikenessDescriptor().compute(image);
    assertEquals(LikenessDescriptor.DIMENSIONS, a.length);
    assertArrayEquals(a, b);
    assertEquals(1.0, LikenessDescriptor.similarity(a, a), 1e-5);
  }

  @Test
  void aResizedCopyStaysClose() throws Exception {
    byte[] original = Files.readAllBytes(DEMO.resolve("lomiri-picosdeeuropa.jpg"));
    DecodedImage full = loader.decode(original, 512);
    DecodedImage small = loader.decode(original, 200);
    double cosine = LikenessDescriptor.similarity(descriptor.compute(full), descriptor.compute(small));
    assertTrue(cosine > 0.9, "cosine " + cosine);
  }

  @Test
  void aPhotographsNearestIsAPhotographNotClipArt() throws Exception {
    for (String query : PHOTOGRAPHS) {
      float[] q = descriptor.compute(demo(query));
      double bestPhoto = -1;
      for (String other : PHOTOGRAPHS) {
        if (!other.equals(query)) {
          bestPhoto = Math.max(bestPhoto, LikenessDescriptor.similarity(q, descriptor.compute(demo(other))));
        }
      }
      for (String stamp : STAMPS) {
        double cosine = LikenessDescriptor.similarity(q, descriptor.compute(demo(stamp)));
        assertTrue(cosine < bestPhoto, query + ": " + stamp + " at " + cosine + ", best photograph at " + bestPhoto);
      }
    }
  }

  @Test
  void flatDrawingsAreCloserToEachOtherThanToPhotographs() throws Exception {
    var random = new Random(SEED);
    float[] a = descriptor.compute(DecodedImage.of(dev.loupe.image.ImageFormat.PNG, drawing(random)));
    float[] b = descriptor.compute(DecodedImage.of(dev.loupe.image.ImageFormat.PNG, drawing(random)));
    double drawings = LikenessDescriptor.similarity(a, b);
    for (String photo : PHOTOGRAPHS) {
      double cosine = LikenessDescriptor.similarity(a, descriptor.compute(demo(photo)));
      assertTrue(cosine < drawings, photo + " at " + cosine + ", the other drawing at " + drawings + SEED_MESSAGE);
    }
  }

  @Test
  void weightsAreChecked() {
    var e = assertThrows(IllegalArgumentException.class, () -> new LikenessDescriptor.Weights(0, 0, 0));
    assertEquals("weights must be non-negative and not all zero, got: 0.0, 0.0, 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LikenessDescriptor.Weights(-1, 1, 1));
    assertEquals("weights must be non-negative and not all zero, got: -1.0, 1.0, 1.0", e.getMessage());
  }

  /** Clip art: a few flat shapes with black outlines on white, at random. */
  private static BufferedImage drawing(Random random) {
    var image = new BufferedImage(400, 300, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 400, 300);
    for (int i = 0; i < 4; i++) {
      int x = 50 + random.nextInt(200);
      int y = 40 + random.nextInt(150);
      int w = 40 + random.nextInt(100);
      int h = 40 + random.nextInt(80);
      g.setColor(Color.getHSBColor(random.nextFloat(), 0.8f, 0.9f));
      g.fillOval(x, y, w, h);
      g.setColor(Color.BLACK);
      g.setStroke(new java.awt.BasicStroke(3));
      g.drawOval(x, y, w, h);
    }
    g.dispose();
    return image;
  }
}
