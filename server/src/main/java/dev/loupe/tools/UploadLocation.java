package dev.loupe.tools;

import dev.loupe.ingest.Originals;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The source an uploaded image (multipart file or data URL) is filed under. Uploads have no
 * location of their own, so they are named by content, {@code upload:sha256:<hex of the bytes>},
 * followed by {@code :<16 hex>} of the title and page URL when either is given. The same bytes sent
 * again with the same title and page are the same occurrence (seen again); with another title or
 * page they are another occurrence, keeping each its own title, page and dates.
 */
public final class UploadLocation {
  private UploadLocation() {}

  public static String of(byte[] bytes, String title, String pageUrl) {
    String location = Originals.UPLOAD_PREFIX + Originals.hash(bytes);
    if (title == null && pageUrl == null) {
      return location;
    }
    // The separator cannot occur in a title or URL as sent in JSON or a form field.
    String described = (title == null ? "" : title) + '\u0000' + (pageUrl == null ? "" : pageUrl);
    return location + ":" + HexFormat.of().formatHex(sha256(described.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
