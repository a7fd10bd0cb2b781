package dev.loupe.features;

import dev.loupe.image.DecodedImage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The exact-match key of {@link ImageSignature#pixelKey()}; see {@link FeatureExtractor}. */
final class PixelKey {
  private PixelKey() {}

  static String of(DecodedImage image) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new AssertionError(e);
    }
    byte[] header = new byte[16];
    int[] fields = {image.width(), image.height(), image.pixelWidth(), image.pixelHeight()};
    for (int f = 0; f < 4; f++) {
      for (int b = 0; b < 4; b++) {
        header[f * 4 + b] = (byte) (fields[f] >>> (24 - 8 * b));
      }
    }
    sha.update(header);
    sha.update(image.bgr());
    return HexFormat.of().formatHex(sha.digest());
  }
}
