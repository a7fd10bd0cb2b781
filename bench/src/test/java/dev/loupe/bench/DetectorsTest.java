package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The grid rule with which AKAZE and SIFT keep their keypoint budget. */
class DetectorsTest {
  @Test
  void eachCellFirstTakesItsShareThenTheStrongestFill() {
    // Cell 0 has the ten strongest keypoints, cells 1 and 2 one weak keypoint each.
    int n = 12;
    float[] response = new float[n];
    int[] cell = new int[n];
    for (int i = 0; i < 10; i++) {
      response[i] = 100 - i;
    }
    response[10] = 1;
    cell[10] = 1;
    response[11] = 2;
    cell[11] = 2;
    int[] kept = Detectors.spread(response, cell, 4);
    // Budget 4: share 1 per cell, so cell 0's best, then cells 2 and 1, then cell 0's second best.
    assertArrayEquals(new int[] {0, 1, 11, 10}, kept);
    // A larger budget keeps everything, strongest first.
    assertEquals(n, Detectors.spread(response, cell, 32).length);
  }

  @Test
  void neverMoreThanTheBudget() {
    float[] response = new float[100];
    int[] cell = new int[100];
    for (int i = 0; i < 100; i++) {
      response[i] = (i * 37) % 101;
      cell[i] = i % 16;
    }
    for (int max = 1; max <= 100; max += 9) {
      int[] kept = Detectors.spread(response, cell, max);
      assertEquals(max, kept.length);
      assertEquals(max, Arrays.stream(kept).distinct().count());
    }
  }

  @Test
  void cellsCoverTheFrame() {
    assertEquals(0, Detectors.cellOf(0, 0, 400, 300));
    assertEquals(15, Detectors.cellOf(399.9f, 299.9f, 400, 300));
    assertEquals(15, Detectors.cellOf(400, 300, 400, 300));
    assertEquals(1, Detectors.cellOf(100, 0, 400, 300));
    assertEquals(4, Detectors.cellOf(0, 75, 400, 300));
  }
}
