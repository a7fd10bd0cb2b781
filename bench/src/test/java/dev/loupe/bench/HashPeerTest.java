package dev.loupe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pHash peers on tiny generated images, and their brute-force ranking. */
class HashPeerTest {
  private static final List<HashPeer> PEERS = List.of(HashPeer.jimageHash(64), HashPeer.opencvPHash());

  /** A smooth diagonal gradient. */
  private static BufferedImage gradient() {
    var image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        int v = (x * 3 + y * 2) * 255 / (63 * 3 + 47 * 2);
        image.setRGB(x, y, (v << 16) | (v << 8) | (255 - v));
      }
    }
    return image;
  }

  /** An 8x8 checkerboard. */
  private static BufferedImage checkerboard() {
    var image = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, ((x / 8 + y / 8) % 2 == 0) ? 0xffffff : 0x202020);
      }
    }
    return image;
  }

  @Test
  void identicalImagesAreAtDistanceZero() {
    for (HashPeer peer : PEERS) {
      long[] a = peer.hash(gradient());
      long[] b = peer.hash(gradient());
      assertArrayEquals(a, b, peer.label());
      assertEquals(0, HashPeer.distance(a, b));
      assertEquals(1.0, peer.score(0));
    }
  }

  @Test
  void differentImagesAreApart() {
    for (HashPeer peer : PEERS) {
      int d = HashPeer.distance(peer.hash(gradient()), peer.hash(checkerboard()));
      assertTrue(d > 0 && d <= peer.bits(), peer.label() + " distance " + d);
    }
  }

  @Test
  void aLightEditStaysNear() {
    BufferedImage larger = Edits.scale(gradient(), 128, 96);
    for (HashPeer peer : PEERS) {
      int near = HashPeer.distance(peer.hash(gradient()), peer.hash(larger));
      int far = HashPeer.distance(peer.hash(gradient()), peer.hash(checkerboard()));
      assertTrue(near < far, peer.label() + ": upscaled " + near + " vs other " + far);
    }
  }

  @Test
  void hashLengthsAreKnown() {
    assertEquals(64, HashPeer.opencvPHash().bits());
    HashPeer jimage = HashPeer.jimageHash(64);
    assertTrue(jimage.bits() >= 32 && jimage.bits() <= 128, "JImageHash bits: " + jimage.bits());
    long[] hash = jimage.hash(gradient());
    assertEquals(jimage.bits() / 64 + 1, hash.length);
  }

  @Test
  void greyAndSubimagesAreHashedLikeTheirColourCopies() {
    BufferedImage big = Edits.border15(gradient(), new java.util.Random(1));
    BufferedImage sub = big.getSubimage(10, 7, 64, 48);
    for (HashPeer peer : PEERS) {
      assertArrayEquals(peer.hash(Edits.copy(sub)), peer.hash(sub), peer.label());
    }
  }

  @Test
  void nearestRanksByDistanceAndBreaksTiesAgainstTheExpectedOriginal() {
    List<long[]> index = List.of(new long[] {0b1111}, new long[] {0b0001}, new long[] {0b0011}, new long[] {0b0001});
    long[] query = {0b0000};
    assertArrayEquals(new int[] {1, 3, 2}, HashPeer.nearest(query, index, 3, -1));
    // Position 1 is the original: tied with position 3 at distance 1, it goes behind.
    assertArrayEquals(new int[] {3, 1, 2}, HashPeer.nearest(query, index, 3, 1));
    assertArrayEquals(new int[] {1, 3, 2, 0}, HashPeer.nearest(query, index, 10, -1));
  }
}
