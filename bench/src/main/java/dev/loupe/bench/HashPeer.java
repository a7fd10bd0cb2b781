package dev.loupe.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import dev.brachtendorf.jimagehash.hash.Hash;
import dev.brachtendorf.jimagehash.hashAlgorithms.PerceptiveHash;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_img_hash;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A perceptual-hash peer of the quality benchmark: a library's pHash, hashing every image to a
 * bit string, with a brute-force Hamming search over the indexed hashes. Loupe's figures get a
 * baseline on the same files; the score of a hit is {@code 1 - distance / bits}.
 *
 * <p>Thread-safe: both hashers keep no state between calls.
 *
 * @param id the name in RESULT lines, for example {@code opencv_phash}
 * @param label the name in tables
 * @param bits the length of the hashes
 * @param hasher from a {@code TYPE_3BYTE_BGR} image to the hash, as 64-bit words
 */
record HashPeer(String id, String label, int bits, Function<BufferedImage, long[]> hasher) {

  /** JImageHash's {@link PerceptiveHash} (DCT of a downscaled luma image) with about {@code bitResolution} bits. */
  static HashPeer jimageHash(int bitResolution) {
    var algorithm = new PerceptiveHash(bitResolution);
    // The library rounds the resolution to its DCT grid: ask a hash for its real length.
    int bits = algorithm.hash(new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR)).getBitResolution();
    int words = bits / 64 + 1;
    return new HashPeer("jimagehash_phash", String.format(Locale.ROOT, "JImageHash pHash (%d bits)", bits), bits,
        image -> words(algorithm.hash(image), words));
  }

  /** OpenCV's img_hash {@code pHash}: 64 bits from the DCT of a 32x32 grey image. */
  static HashPeer opencvPHash() {
    return new HashPeer("opencv_phash", "OpenCV PHash (64 bits)", 64, HashPeer::opencvHash);
  }

  /** Hashes {@code image}, converting it to {@code TYPE_3BYTE_BGR} first if needed. */
  long[] hash(BufferedImage image) {
    return hasher.apply(Edits.toBgr(image));
  }

  /** 1 for identical hashes, 0 for opposite ones. */
  double score(int distance) {
    return 1.0 - (double) distance / bits;
  }

  static int distance(long[] a, long[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Long.bitCount(a[i] ^ b[i]);
    }
    return d;
  }

  /**
   * The positions of the {@code k} indexed hashes nearest to {@code query}, nearest first. Among
   * equal distances {@code expected} (the position of the query's true original, or -1) comes
   * last, so that a tie never counts for the peer; other ties keep the indexed order.
   */
  static int[] nearest(long[] query, List<long[]> indexed, int k, int expected) {
    long[] keys = new long[indexed.size()];
    for (int i = 0; i < keys.length; i++) {
      long d = distance(query, indexed.get(i));
      keys[i] = (d << 33) | ((i == expected ? 1L : 0L) << 32) | i;
    }
    Arrays.sort(keys);
    int[] positions = new int[Math.min(k, keys.length)];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = (int) (keys[i] & 0xffffffffL);
    }
    return positions;
  }

  private static long[] words(Hash hash, int count) {
    BigInteger value = hash.getHashValue();
    long[] words = new long[count];
    for (int i = 0; i < count; i++) {
      words[i] = value.shiftRight(64 * i).longValue();
    }
    return words;
  }

  private static long[] opencvHash(BufferedImage bgr) {
    BufferedImage plain = bgr.getRaster().getParent() == null ? bgr : Edits.copy(bgr);
    byte[] pixels = ((DataBufferByte) plain.getRaster().getDataBuffer()).getData();
    try (var pointer = new BytePointer(pixels);
        var image = new Mat(plain.getHeight(), plain.getWidth(), CV_8UC3, pointer);
        var hash = new Mat()) {
      opencv_img_hash.pHash(image, hash);
      byte[] bytes = new byte[8];
      hash.data().get(bytes);
      long value = 0;
      for (byte b : bytes) {
        value = (value << 8) | (b & 0xff);
      }
      return new long[] {value};
    }
  }
}
