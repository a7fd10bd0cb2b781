package dev.loupe.ingest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The original bytes of uploaded images, kept under the data directory ({@code originals/}) by
 * content: {@code originals/<first 2 hex>/<SHA-256 hex>}. An upload's occurrence source is {@code
 * upload:sha256:<hex>[:<suffix>]} ({@link #UPLOAD_PREFIX}), so an image's originals are named by its
 * own occurrences and need no other record.
 *
 * <p>Crash safety: a blob is written to a temporary file, forced to disk and renamed into place
 * before its image is added to the index, so a committed upload always has its blob; a crash between
 * the two leaves a blob no occurrence names, which {@link dev.loupe.engine.Loupe#open} removes. An
 * image's blobs are deleted after its deletion is committed.
 *
 * <p>Thread-safe: writes of the same content race only to rename identical bytes into place.
 */
public final class Originals {
  /** How an upload's occurrence source starts; the 64 hex digits of its bytes' SHA-256 follow. */
  public static final String UPLOAD_PREFIX = "upload:sha256:";
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

  private Originals(Path dir) {
    this.dir = dir;
  }

  /** The store in {@code dir}, created if missing. */
  public static Originals open(Path dir) throws IOException {
    Files.createDirectories(dir);
    return new Originals(dir);
  }

  /** The SHA-256 an upload source names, or empty for any other source. */
  public static Optional<String> hashOf(String source) {
    if (source == null || !source.startsWith(UPLOAD_PREFIX) || source.length() < UPLOAD_PREFIX.length() + 64) {
      return Optional.empty();
    }
    String hash = source.substring(UPLOAD_PREFIX.length(), UPLOAD_PREFIX.length() + 64);
    return HASH.matcher(hash).matches() ? Optional.of(hash) : Optional.empty();
  }

  /** The SHA-256 of {@code bytes}, as hex. */
  public static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private Path path(String hash) {
    if (!HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException("not a SHA-256 in hex: " + hash);
    }
    return dir.resolve(hash.substring(0, 2)).resolve(hash);
  }

  /** Keeps {@code bytes} (durably, before returning); returns their SHA-256. */
  public String put(byte[] bytes) throws IOException {
    String hash = hash(bytes);
    Path target = path(hash);
    if (Files.isRegularFile(target)) {
      return hash;
    }
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), hash.substring(0, 8), ".part");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(java.nio.ByteBuffer.wrap(bytes));
        out.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return hash;
  }

  /** The bytes kept under {@code hash}, if any. */
  public Optional<byte[]> get(String hash) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(path(hash)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Whether bytes are kept under {@code hash}. */
  public boolean contains(String hash) {
    return Files.isRegularFile(path(hash));
  }

  /** Deletes the bytes kept under {@code hash}; false if there were none. */
  public boolean delete(String hash) throws IOException {
    return Files.deleteIfExists(path(hash));
  }

  /** Every hash kept, and leftover temporary files removed (a crash mid-write). */
  public List<String> hashes() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir, 2)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".part")) {
          Files.deleteIfExists(file);
        } else if (HASH.matcher(name).matches()) {
          out.add(name);
        }
      }
    }
    return out;
  }
}
