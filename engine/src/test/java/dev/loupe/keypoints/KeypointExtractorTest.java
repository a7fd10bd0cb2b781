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
  void theCompactFormKeepsSignaturesAndPositionsInNineBytesPerKeypoint() {
    LocalFeatures full = KeypointFixtures.indexed(KeypointFixtures.picture(4));
    LocalFeatures compact = full.compact(LocalFeatures.STORED_KEYPOINTS);
    assertTrue(compact.isCompact() && !compact.hasColours());
    assertEquals(Math.min(full.size(), LocalFeatures.STORED_KEYPOINTS), compact.size());
    byte[] bytes = compact.toBytes();
    assertEquals(8 + 9 * compact.size(), bytes.length);
    LocalFeatures back = LocalFeatures.fromBytes(bytes, 0, bytes.length);
    assertTrue(back.isCompact());
    assertArrayEquals(compact.descriptors(), back.descriptors());
    long mask = (1L << LocalFeatures.SIGNATURE_BITS) - 1;
    for (int i = 0; i < compact.size(); i++) {
      // The signature is the first bits of the full descriptor; positions within 1/4095 of the frame.
      assertEquals(full.descriptors()[i * LocalFeatures.DESCRIPTOR_WORDS] & mask, back.descriptors()[i]);
      assertEquals(compact.x()[i], back.x()[i], full.frameWidth() / 4095f);
      assertEquals(compact.y()[i], back.y()[i], full.frameHeight() / 4095f);
      // A full set and its compact form compare over the signature's bits only.
      assertEquals(0, full.distance(i, back, i));
    }
    assertEquals(LocalFeatures.SIGNATURE_BITS, full.comparedBits(back));
    assertEquals(LocalFeatures.DESCRIPTOR_BITS, full.comparedBits(full));
  }

  @Test
  void compactingKeepsTheStrongestSpreadOverTheFrame() {
    // 64 keypoints listed strongest first, all in the top-left cell but the last 16, one per cell.
    int n = 64;
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < 48; i++) {
      x[i] = 10 + i;
      y[i] = 10;
    }
    for (int c = 0; c < 16; c++) {
      x[48 + c] = 50 + 100 * (c % 4);
      y[48 + c] = 50 + 100 * (c / 4);
    }
    LocalFeatures f = new LocalFeatures(400, 400, x, y, new long[4 * n], new byte[3 * n]);
    LocalFeatures kept = f.compact(32);
    assertEquals(32, kept.size());
    int cornerCell = 0;
    for (int i = 0; i < kept.size(); i++) {
      if (kept.x()[i] < 100 && kept.y()[i] < 100) {
        cornerCell++;
      }
    }
    // Each of the 16 cells keeps its share of 2 first; the other 15 cells hold one each, so 17 slots
    // go to the corner: its 2 in the first pass and the strongest 15 left in the second.
    assertEquals(17, cornerCell);
    assertEquals(f.x()[0], kept.x()[0]);
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
    byte[] compact = KeypointFixtures.indexed(KeypointFixtures.picture(5)).compact(50).toBytes();
    var short1 = assertThrows(IllegalArgumentException.class, () -> LocalFeatures.fromBytes(compact, 0, compact.length - 1));
    assertTrue(short1.getMessage().contains("cannot hold"), short1.getMessage());
    byte[] noFrame = compact.clone();
    noFrame[2] = 0;
    noFrame[3] = 0;
    var frame = assertThrows(IllegalArgumentException.class, () -> LocalFeatures.fromBytes(noFrame, 0, noFrame.length));
    assertTrue(frame.getMessage().contains("frame"), frame.getMessage());
  }
}
