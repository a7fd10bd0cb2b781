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
}
