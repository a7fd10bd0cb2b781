package dev.loupe.features;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Test inputs: the bundled photos and art, generated images, and conversion to working pixels. */
final class TestImages {
  /** Images under {@code src/test/resources/features/}, see the README there. */
  static final List<String> BUNDLED = List.of(
      "adwaita-l.jpg", "dune-d.jpg", "grid-l.jpg", "pixels-l.jpg", "symbolic-d.jpg", "grid-d.jpg");
  /** Loupe decodes to at most this many pixels on the long side. */
  static final int WORKING_LONG_SIDE = 512;

  private TestImages() {}

  static BufferedImage bundled(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream("/features/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test image: " + name);
      }
      return Edits.bgr(ImageIO.read(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Named source images: the bundled ones, or every readable image in a directory if given. */
  static List<Named> sources(String directoryProperty) {
    String dir = System.getProperty(directoryProperty, "");
    List<Named> out = new ArrayList<>();
    if (dir.isBlank()) {
      for (String name : BUNDLED) {
        out.add(new Named(name, bundled(name)));
      }
      return out;
    }
    try (Stream<Path> files = Files.list(Path.of(dir))) {
      for (Path p : files.sorted().toList()) {
        BufferedImage image = ImageIO.read(p.toFile());
        if (image != null) {
          out.add(new Named(p.getFileName().toString(), Edits.bgr(image)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  record Named(String name, BufferedImage image) {}

  /**
   * What the loader will hand over: at most 512 pixels on the long side, reduced by area
   * averaging, full dimensions those of {@code image}.
   */
  static DecodedImage working(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int longSide = Math.max(w, h);
    if (longSide <= WORKING_LONG_SIDE) {
      return DecodedImage.of(ImageFormat.JPEG, image);
    }
    int pw = Math.max(1, (int) Math.round((double) w * WORKING_LONG_SIDE / longSide));
    int ph = Math.max(1, (int) Math.round((double) h * WORKING_LONG_SIDE / longSide));
    BufferedImage small = Edits.resize(image, pw, ph);
    DecodedImage pixels = DecodedImage.of(ImageFormat.JPEG, small);
    return new DecodedImage(ImageFormat.JPEG, w, h, pw, ph, pixels.bgr());
  }

  /** A random scene: overlapping flat-coloured ellipses and bars on a gradient. */
  static BufferedImage generated(Random random, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    var g = image.createGraphics();
    try {
      g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
      g.setPaint(new java.awt.GradientPaint(0, 0, randomColour(random), width, height, randomColour(random)));
      g.fillRect(0, 0, width, height);
      for (int i = 0; i < 25; i++) {
        g.setColor(randomColour(random));
        int w = 20 + random.nextInt(width / 2);
        int h = 20 + random.nextInt(height / 2);
        int x = random.nextInt(width) - w / 2;
        int y = random.nextInt(height) - h / 2;
        if (random.nextBoolean()) {
          g.fillOval(x, y, w, h);
        } else {
          g.rotate(random.nextDouble() * Math.PI, x + w / 2.0, y + h / 2.0);
          g.fillRect(x, y, w, h / 4 + 4);
          g.setTransform(new java.awt.geom.AffineTransform());
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * Channels in 16..199, as in most photographs, so that brightness +30% clips little: clipping
   * whole shapes to white erases the structure any luminance hash sees (a full-range synthetic
   * image measured up to 40 bits there).
   */
  private static java.awt.Color randomColour(Random random) {
    return new java.awt.Color(16 + random.nextInt(184), 16 + random.nextInt(184), 16 + random.nextInt(184));
  }

  /** A solid image of one colour. */
  static BufferedImage solid(int width, int height, java.awt.Color colour) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    var g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }
}
