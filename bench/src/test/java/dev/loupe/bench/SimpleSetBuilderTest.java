package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which pictures the simple-graphics set takes as one picture in other shades. */
class SimpleSetBuilderTest {
  /** A 16 x 16 RGB thumbnail: {@code shape} inside the square [4, 12), white around it. */
  private static float[] balloon(float shape, int from) {
    float[] t = new float[16 * 16 * 3];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        boolean inside = x >= from && x < 12 && y >= from && y < 12;
        for (int c = 0; c < 3; c++) {
          t[3 * (y * 16 + x) + c] = inside ? shape : 255;
        }
      }
    }
    return t;
  }

  @Test
  void oneShapeInBlackAndInGreyIsOnePicture() {
    assertTrue(SimpleSetBuilder.brighterTwin(balloon(0, 4), balloon(166, 4)));
    assertTrue(SimpleSetBuilder.brighterTwin(balloon(166, 4), balloon(0, 4)));
  }

  @Test
  void anotherShapeOrAnInvertedOneIsNot() {
    assertFalse(SimpleSetBuilder.brighterTwin(balloon(0, 4), balloon(0, 2)));
    float[] inverted = balloon(255, 4);
    for (int i = 0; i < inverted.length; i++) {
      inverted[i] = 255 - balloon(0, 4)[i];
    }
    assertFalse(SimpleSetBuilder.brighterTwin(balloon(0, 4), inverted));
    // A blank picture is every picture's shade: it is not taken for one.
    assertFalse(SimpleSetBuilder.brighterTwin(balloon(255, 4), balloon(0, 4)));
  }
}
