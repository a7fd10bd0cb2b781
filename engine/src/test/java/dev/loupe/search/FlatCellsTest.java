package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import dev.loupe.testing.TestSeed;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;

/** What counts as a flat cell: uniform ones, smooth gradients once detrended, never texture or edges. */
class FlatCellsTest {
  private static final int W = 240;
  private static final int H = 180;

  /** A grey picture whose level at (x, y) is {@code level}. */
  private static DecodedImage grey(IntBinaryOperator level) {
    byte[] bgr = new byte[W * H * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        byte v = (byte) Math.max(0, Math.min(255, level.applyAsInt(x, y)));
        int p = 3 * (y * W + x);
        bgr[p] = v;
        bgr[p + 1] = v;
        bgr[p + 2] = v;
      }
    }
    return new DecodedImage(ImageFormat.PNG, W, H, W, H, bgr);
  }

  @Test
  void aPlaneLeavesNothing() {
    DecodedImage ramp = grey((x, y) -> 20 + x / 2 + y / 3);
    // Integer truncation leaves at most a level of steps.
    assertTrue(ColourComparison.cellDeviation(ramp.bgr(), W, 0, 40, 0, 30, true) < 1.0);
    assertTrue(ColourComparison.cellDeviation(ramp.bgr(), W, 0, 40, 0, 30, false) > 6.0);
    assertEquals(1.0, ColourComparison.flatShare(ramp, SimplePictureCheck.FLAT_LEVELS, true));
  }

  @Test
  void aGlossyGradientIsFlatOnlyOnceThePlaneIsTakenOut() {
    // Within each cell of 20 x 15 pixels the level falls by about 30: a deviation of about 9 around
    // the mean, but almost none around the plane.
    DecodedImage gloss = grey((x, y) -> 230 - 2 * y / 3 - (y % 15) * 2);
    assertEquals(1.0, ColourComparison.flatShare(gloss, SimplePictureCheck.FLAT_LEVELS, true));
    assertEquals(0.0, ColourComparison.flatShare(gloss, SimplePictureCheck.FLAT_LEVELS, false));
  }

  @Test
  void textureAndEdgesAreNotFlatEitherWay() {
    Random random = new Random(TestSeed.value());
    int[] noise = random.ints(W * H, 0, 60).toArray();
    DecodedImage texture = grey((x, y) -> 100 + noise[y * W + x]);
    assertEquals(0.0, ColourComparison.flatShare(texture, SimplePictureCheck.FLAT_LEVELS, true));
    // Vertical stripes 5 pixels wide: an edge in every cell.
    DecodedImage stripes = grey((x, y) -> (x / 5) % 2 == 0 ? 40 : 200);
    assertEquals(0.0, ColourComparison.flatShare(stripes, SimplePictureCheck.FLAT_LEVELS, true));
    assertEquals(0.0, ColourComparison.flatShare(stripes, SimplePictureCheck.FLAT_LEVELS, false));
  }
}
