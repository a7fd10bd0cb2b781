package dev.loupe.tools;

import dev.loupe.image.ImageInfo;
import java.util.Objects;

/**
 * An image a protocol read before its run started: the encoded bytes (what {@code image_search}
 * then searches, so the image is fetched once) and what its header says (what its tokens are
 * counted from).
 *
 * @param bytes the encoded image; copied in and out
 * @param info its format and size, from the header
 */
public record FetchedImage(byte[] bytes, ImageInfo info) {
  public FetchedImage {
    bytes = Objects.requireNonNull(bytes, "bytes").clone();
    Objects.requireNonNull(info, "info");
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FetchedImage f && java.util.Arrays.equals(bytes, f.bytes) && info.equals(f.info);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(bytes) + info.hashCode();
  }

  @Override
  public String toString() {
    return "FetchedImage[" + bytes.length + " bytes, " + info + "]";
  }
}
