package dev.loupe.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The derived descriptors of rotations and mirrors match those of really transformed images. */
class DihedralDescriptorTest {
  private static final FeatureExtractor EXTRACTOR = new FeatureExtractor();

  @Test
  void derivedDescriptorsMatchTransformedImages() {
    for (String name : List.of("adwaita-l.jpg", "grid-l.jpg", "symbolic-d.jpg")) {
      BufferedImage original = TestImages.bundled(name);
      List<float[]> derived = EXTRACTOR.dihedralDescriptors(TestImages.working(original));
      assertEquals(7, derived.size());
      for (DihedralTransform t : DihedralTransform.values()) {
        if (t == DihedralTransform.IDENTITY) {
          continue;
        }
        float[] actual = EXTRACTOR.extract(TestImages.working(transform(original, t))).descriptor();
        float cosine = dot(derived.get(t.ordinal() - 1), actual);
        assertTrue(cosine > 0.99f, name + " " + t + ": cosine " + cosine);
      }
    }
  }

  private static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Applies {@code t} exactly as documented on each constant. */
  static BufferedImage transform(BufferedImage src, DihedralTransform t) {
    int w = src.getWidth();
    int h = src.getHeight();
    AffineTransform a = switch (t) {
      case IDENTITY -> new AffineTransform();
      case ROTATE_90 -> new AffineTransform(0, 1, -1, 0, h, 0);
      case ROTATE_180 -> new AffineTransform(-1, 0, 0, -1, w, h);
      case ROTATE_270 -> new AffineTransform(0, -1, 1, 0, 0, w);
      case MIRROR_X -> new AffineTransform(-1, 0, 0, 1, w, 0);
      case MIRROR_Y -> new AffineTransform(1, 0, 0, -1, 0, h);
      case TRANSPOSE -> new AffineTransform(0, 1, 1, 0, 0, 0);
      case ANTI_TRANSPOSE -> new AffineTransform(0, -1, -1, 0, h, w);
    };
    boolean swap = t == DihedralTransform.ROTATE_90 || t == DihedralTransform.ROTATE_270
        || t == DihedralTransform.TRANSPOSE || t == DihedralTransform.ANTI_TRANSPOSE;
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_3BYTE_BGR);
    new AffineTransformOp(a, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(src, out);
    return out;
  }
}
