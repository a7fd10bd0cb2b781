package dev.loupe.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        float[] actual = EXTRACTOR.extract(TestImages.working(Edits.transform(Edits.bgr(original), t))).descriptor();
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
}
