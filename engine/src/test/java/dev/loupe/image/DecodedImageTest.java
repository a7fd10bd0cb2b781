package dev.loupe.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DecodedImageTest {
  @Test
  void subImageIsCopiedWithOnlyItsOwnPixels() {
    BufferedImage parent = TestImages.redCorner(40, 30);
    BufferedImage sub = parent.getSubimage(10, 5, 20, 10);
    DecodedImage image = DecodedImage.of(ImageFormat.PNG, sub);
    assertEquals(20, image.pixelWidth());
    assertEquals(10, image.pixelHeight());
    assertEquals(20 * 10 * 3, image.bgr().length);
    // (0,0) of the sub-image is (10,5) of the parent: inside the red quadrant.
    assertArrayEquals(new int[] {0, 0, 255}, TestImages.bgrAt(image, 0, 0));
    // (19,9) is (29,14): white.
    assertArrayEquals(new int[] {255, 255, 255}, TestImages.bgrAt(image, 19, 9));
  }

  @Test
  void regionIsResampledAndKeepsItsShareOfTheFullSize() {
    // Pixels at half the full size: 40 x 30 of a 80 x 60 image.
    BufferedImage pixels = TestImages.redCorner(40, 30);
    DecodedImage half = DecodedImage.of(ImageFormat.PNG, pixels);
    DecodedImage image = new DecodedImage(ImageFormat.PNG, 80, 60, 40, 30, half.bgr().clone());
    DecodedImage region = image.region(0, 0, 20, 15, 40, 30);
    assertEquals(40, region.pixelWidth());
    assertEquals(30, region.pixelHeight());
    assertEquals(40, region.width(), "a quarter of the 80 x 60 image is 40 x 30");
    assertEquals(30, region.height());
    assertArrayEquals(new int[] {0, 0, 255}, TestImages.bgrAt(region, 20, 15), "all red: the red quadrant");
    DecodedImage white = image.region(20, 15, 20, 15, 10, 10);
    assertArrayEquals(new int[] {255, 255, 255}, TestImages.bgrAt(white, 5, 5));
  }

  @Test
  void aRegionOutsideThePixelsIsRefused() {
    DecodedImage image = DecodedImage.of(ImageFormat.PNG, TestImages.redCorner(40, 30));
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> image.region(30, 0, 20, 10, 10, 10));
    assertEquals("region 30,0 20x10 -> 10x10 is not inside 40x30", e.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> image.region(0, 0, 0, 10, 10, 10));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> image.region(-1, 0, 5, 5, 10, 10));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> image.region(0, 0, 5, 5, 0, 10));
  }
}
