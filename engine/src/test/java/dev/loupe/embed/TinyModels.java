package dev.loupe.embed;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The models written by {@code src/test/models/make_tiny_models.py} (committed), and pictures for
 * them. Public: the engine's other tests and the app's and server's end-to-end tests use them too.
 */
public final class TinyModels {
  private TinyModels() {}

  /** The engine module's {@code src/test/models}, found from the engine module or a sibling module. */
  public static Path root() {
    for (Path p : new Path[] {Path.of("src/test/models"), Path.of("../engine/src/test/models")}) {
      if (Files.isDirectory(p.resolve("tiny-colour"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("engine/src/test/models not found from " + Path.of("").toAbsolutePath());
  }

  /** Image and text towers: colour words point at the colours. */
  public static Path colour() {
    return root().resolve("tiny-colour");
  }

  /** The same visual tower, no text tower. */
  public static Path colourImageOnly() {
    return root().resolve("tiny-colour-image-only");
  }

  /** A copy of a model directory under {@code target}, to break it. */
  public static Path copy(Path model, Path target) {
    try (Stream<Path> files = Files.walk(model)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(model.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A picture of one colour with a smaller block of another in one corner. */
  public static BufferedImage picture(Color main, Color block, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(main);
    g.fillRect(0, 0, width, height);
    g.setColor(block);
    g.fillRect(0, 0, width / 3, height / 3);
    g.dispose();
    return image;
  }

  /**
   * Writes {@code perColour} PNG pictures of each of red, green and blue into {@code dir}, named
   * {@code <colour>-<i>.png}, each with a differently sized picture and a differently coloured block,
   * so that a hit's title says what colour it is.
   */
  public static Path colourPictures(Path dir, int perColour) {
    Color[] blocks = {Color.WHITE, Color.BLACK, Color.GRAY, Color.DARK_GRAY, Color.LIGHT_GRAY};
    java.util.Map<String, Color> colours = java.util.Map.of("red", Color.RED, "green", Color.GREEN, "blue", Color.BLUE);
    try {
      Files.createDirectories(dir);
      for (java.util.Map.Entry<String, Color> e : colours.entrySet()) {
        for (int i = 0; i < perColour; i++) {
          BufferedImage image = picture(e.getValue(), blocks[i % blocks.length], 120 + 7 * i, 90 + 5 * (i % 4));
          Files.write(dir.resolve(e.getKey() + "-" + i + ".png"), dev.loupe.image.TestImages.encode(image, "png"));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DecodedImage decoded(BufferedImage image) {
    return DecodedImage.of(ImageFormat.PNG, image);
  }
}
