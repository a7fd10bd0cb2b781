package dev.loupe.keypoints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeypointExtractorTest {
  @Test
  void keypointsLieInTheFrameAndSpreadOverIt() {
    DecodedImage image = KeypointFixtures.decode(KeypointFixtures.picture(3));
    LocalFeatures f = KeypointFixtures.EXTRACTOR.extract(image, 400);
    assertEquals(400, f.size());
    assertEquals(image.pixelWidth(), f.frameWidth());
    int[] quadrants = new int[4];
    for (int i = 0; i < f.size(); i++) {
      assertTrue(f.x()[i] >= 0 && f.x()[i] < f.frameWidth() && f.y()[i] >= 0 && f.y()[i] < f.frameHeight());
      quadrants[(f.x()[i] < f.frameWidth() / 2f ? 0 : 1) + (f.y()[i] < f.frameHeight() / 2f ? 0 : 2)]++;
    }
    for (int q : quadrants) {
      assertTrue(q >= 50, "keypoints per quadrant " + Arrays.toString(quadrants));
    }
  }

  @Test
  void aBlankImageHasNoKeypoints() {
    BufferedImage blank = new BufferedImage(300, 200, BufferedImage.TYPE_3BYTE_BGR);
    LocalFeatures f = KeypointFixtures.EXTRACTOR.extract(DecodedImage.of(ImageFormat.PNG, blank), 400);
    assertEquals(0, f.size());
  }

  @Test
  void aSmoothPictureStillGetsKeypoints() {
    BufferedImage smooth = new BufferedImage(512, 384, BufferedImage.TYPE_3BYTE_BGR);
    var g = smooth.createGraphics();
    g.setPaint(new java.awt.GradientPaint(0, 0, new java.awt.Color(40, 40, 60), 512, 384, new java.awt.Color(70, 60, 50)));
    g.fillRect(0, 0, 512, 384);
    g.setColor(new java.awt.Color(60, 52, 58));
    g.fillOval(100, 100, 200, 120);
    g.dispose();
    LocalFeatures f = KeypointFixtures.EXTRACTOR.extract(DecodedImage.of(ImageFormat.PNG, smooth), 400);
    assertTrue(f.size() >= 20, "keypoints " + f.size());
  }

  @Test
  void serialisedKeypointsRoundTrip() {
    LocalFeatures f = KeypointFixtures.indexed(KeypointFixtures.picture(4));
    byte[] bytes = f.toBytes();
    LocalFeatures back = LocalFeatures.fromBytes(bytes, 0, bytes.length);
    assertEquals(f.size(), back.size());
    assertArrayEquals(f.descriptors(), back.descriptors());
    assertArrayEquals(f.colours(), back.colours());
    for (int i = 0; i < f.size(); i++) {
      assertEquals(f.x()[i], back.x()[i], 1 / 32f);
      assertEquals(f.y()[i], back.y()[i], 1 / 32f);
    }
  }

  @Test
  void damagedKeypointBlocksAreRefused() {
    byte[] bytes = KeypointFixtures.indexed(KeypointFixtures.picture(5)).toBytes();
    var truncated = assertThrows(IllegalArgumentException.class, () -> LocalFeatures.fromBytes(bytes, 0, bytes.length - 1));
    assertTrue(truncated.getMessage().contains("cannot hold"), truncated.getMessage());
    byte[] wrongVersion = bytes.clone();
    wrongVersion[0] = 9;
    assertThrows(IllegalArgumentException.class, () -> LocalFeatures.fromBytes(wrongVersion, 0, wrongVersion.length));
    assertThrows(IllegalArgumentException.class, () -> LocalFeatures.fromBytes(bytes, 0, 3));
  }
}
