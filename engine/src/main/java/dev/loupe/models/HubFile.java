package dev.loupe.models;

import java.util.Objects;

/**
 * One file of a hub repository as the hub lists it.
 *
 * @param path the path inside the repository, {@code visual/model.onnx}
 * @param size its size in bytes
 * @param sha256 the SHA-256 of its content (hex) for a Git LFS file, else {@code null}
 * @param gitBlobId the Git blob id (SHA-1 of {@code "blob " + size + "\0" + content}, hex), which the
 *     hub lists for every file; for an LFS file it identifies the pointer, not the content
 */
public record HubFile(String path, long size, String sha256, String gitBlobId) {
  public HubFile {
    Objects.requireNonNull(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("size must be at least 0, got: " + size);
    }
  }

  /** Whether the content's checksum is SHA-256 (LFS files) rather than the Git blob id. */
  public boolean hasSha256() {
    return sha256 != null;
  }
}
