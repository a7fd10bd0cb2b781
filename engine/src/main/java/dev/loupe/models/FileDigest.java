package dev.loupe.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The two checksums a hub lists: SHA-256 of the content, and the Git blob id (SHA-1 with a header). */
final class FileDigest {
  private FileDigest() {}

  static String sha256(Path file) throws IOException {
    return digest(file, "SHA-256", null);
  }

  /** Git's object id of the file as a blob: SHA-1 of {@code "blob <size>\0"} then the content. */
  static String gitBlobId(Path file) throws IOException {
    return digest(file, "SHA-1", ("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
  }

  private static String digest(Path file, String algorithm, byte[] header) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
    if (header != null) {
      digest.update(header);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
