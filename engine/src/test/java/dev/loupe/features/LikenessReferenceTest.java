package dev.loupe.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The likeness descriptor gives the floats of {@link LikenessReference}, the algorithm as first
 * written, up to float rounding: on demo photographs and stamps, seeded drawings and noisy scenes,
 * and degenerate frames (one pixel, one row, a solid colour, pure white).
 */
class LikenessReferenceTest {
  private static final long SEED = Long.getLong("tests.seed", 20261203L);
  private static final String SEED_MESSAGE = " (seed " + SEED + ", rerun with -Dtests.seed=" + SEED + ")";
  private static final Path DEMO = Path.of(System.getProperty("loupe.demo.dir", "../demo")).resolve("images");
  private static final List<String> DEMO_IMAGES = List.of(
      "lomiri-aitzgorri.jpg", "lomiri-sunset.jpg", "lomiri-life.jpg", "stamp-animals-frog-1.png",
      "stamp-vehicles-toy-train.png");
  /** Largest difference allowed in one float (the descriptor has unit length, ~600 floats). */
  private static final double TOLERANCE = 2e-6;

  private final LikenessDescriptor descriptor = new LikenessDescriptor();
  private final LikenessReference reference = new LikenessReference();

  @Test
  void matchesTheReferenceAlgorithm() throws Exception {
    List<TestImages.Named> images = new ArrayList<>();
    ImageLoader loader = new ImageLoader(ImageLimits.defaults());
    for (String name : DEMO_IMAGES) {
      Path file = DEMO.resolve(name);
      if (Files.isRegularFile(file)) {
        DecodedImage decoded = loader.decode(Files.readAllBytes(file), 512);
        images.add(new TestImages.Named(name, decoded.toBufferedImage()));
      }
    }
    Random random = new Random(SEED);
    for (int i = 0; i < 4; i++) {
      int w = 200 + random.nextInt(313);
      int h = 200 + random.nextInt(313);
      images.add(new TestImages.Named("drawing " + i, TestImages.generated(random, w, h)));
      images.add(new TestImages.Named("noisy " + i, noisy(random, h, w)));
    }
    images.add(new TestImages.Named("one pixel", TestImages.solid(1, 1, new Color(200, 30, 90))));
    images.add(new TestImages.Named("one row", noisy(random, 512, 1)));
    images.add(new TestImages.Named("one column", noisy(random, 1, 300)));
    images.add(new TestImages.Named("solid", TestImages.solid(300, 200, new Color(40, 120, 200))));
    images.add(new TestImages.Named("white", TestImages.solid(512, 384, Color.WHITE)));
    for (TestImages.Named named : images) {
      DecodedImage image = DecodedImage.of(ImageFormat.JPEG, named.image());
      float[] expected = reference.compute(image);
      float[] actual = descriptor.compute(image);
      assertEquals(expected.length, actual.length);
      for (int i = 0; i < expected.length; i++) {
        double difference = Math.abs(expected[i] - actual[i]);
        assertTrue(difference <= TOLERANCE,
            named.name() + ": float " + i + " is " + actual[i] + ", reference " + expected[i] + SEED_MESSAGE);
      }
    }
  }

  /** A gradient with shapes under per-pixel noise, as a photograph's sensor noise: few flat pixels, many colours. */
  private static BufferedImage noisy(Random random, int width, int height) {
    BufferedImage image = width >= 40 && height >= 40
        ? TestImages.generated(random, width, height)
        : TestImages.solid(width, height, new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int r = clamp(((rgb >> 16) & 0xff) + random.nextInt(41) - 20);
        int g = clamp(((rgb >> 8) & 0xff) + random.nextInt(41) - 20);
        int b = clamp((rgb & 0xff) + random.nextInt(41) - 20);
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
