package dev.loupe.keypoints;

import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.image.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Pictures and edits for keypoint tests, decoded the way Loupe decodes them. */
final class KeypointFixtures {
  static final KeypointExtractor EXTRACTOR = new KeypointExtractor();
  private static final ImageLoader LOADER = new ImageLoader(ImageLimits.defaults());

  private KeypointFixtures() {}

  /** A busy generated picture, 1000 x 750. */
  static BufferedImage picture(long seed) {
    return TestImages.scene(1000, 750, seed);
  }

  static DecodedImage decode(BufferedImage image) {
    try {
      return LOADER.decode(TestImages.encode(image, "jpeg"), 512);
    } catch (ImageRejected e) {
      throw new AssertionError(e);
    }
  }

  static LocalFeatures indexed(BufferedImage image) {
    return EXTRACTOR.extract(decode(image), KeypointExtractor.INDEX_KEYPOINTS);
  }

  static LocalFeatures query(BufferedImage image) {
    return EXTRACTOR.extract(decode(image), KeypointExtractor.QUERY_KEYPOINTS);
  }

  /** Turned clockwise by {@code degrees} about the centre, corners grey. */
  static BufferedImage rotate(BufferedImage image, double degrees) {
    return dev.loupe.features.Edits.rotate(image, degrees, Color.GRAY);
  }

  /** Mirrored left to right. */
  static BufferedImage mirror(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, image.getWidth(), 0, -image.getWidth(), image.getHeight(), null);
    g.dispose();
    return out;
  }
}
