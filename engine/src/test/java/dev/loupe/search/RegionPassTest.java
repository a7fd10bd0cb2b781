package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegionPassTest {
  @Test
  void quadrantsCoverTheBufferWithoutOverlap() {
    assertEquals(List.of(new RegionPass.Box(0, 0, 256, 170), new RegionPass.Box(256, 0, 256, 170),
        new RegionPass.Box(0, 170, 256, 171), new RegionPass.Box(256, 170, 256, 171)), RegionPass.quadrants(512, 341));
  }

  @Test
  void quadrantsTooSmallToHashAreNotSearched() {
    assertEquals(List.of(), RegionPass.quadrants(512, 2 * RegionPass.MIN_SIDE - 1));
    assertEquals(4, RegionPass.quadrants(2 * RegionPass.MIN_SIDE, 2 * RegionPass.MIN_SIDE).size());
  }

  @Test
  void aQuadrantClaimsOnlyAPictureItHoldsWhole() {
    // A collage tile: all of the picture, filling the quadrant but for the gutters.
    assertTrue(RegionPass.holdsWhole(new Differences(1.0, 0.92, 0.5, 0, false, false, false)));
    // A caption band aligned with another picture's band: a fifth of that picture.
    assertFalse(RegionPass.holdsWhole(new Differences(0.2, 0.61, 0.6, 0, false, false, false)));
    // Inside a larger picture (a crop of it): not a whole picture.
    assertFalse(RegionPass.holdsWhole(new Differences(0.35, 1.0, 0.6, 0, false, false, false)));
    // Most of a picture, filling three quarters of the quadrant: not enough.
    assertFalse(RegionPass.holdsWhole(new Differences(0.81, 0.75, 1.2, 0, false, false, false)));
    assertFalse(RegionPass.holdsWhole(null));
  }

}
