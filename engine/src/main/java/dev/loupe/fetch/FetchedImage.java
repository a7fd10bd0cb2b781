package dev.loupe.fetch;

import java.util.Arrays;
import java.util.Objects;

/**
 * Bytes read by {@link ImageFetcher}, not yet validated as an image.
 *
 * @param bytes the encoded bytes; copied in and out
 * @param contentType the declared media type (HTTP {@code Content-Type} or the data URL's), or
 *     {@code null} when none was declared; only a hint, the image loader sniffs the bytes
 * @param location where the bytes came from, short enough for logs and messages: the final URL
 *     after redirects, the file path, or a summary of inline data
 */
public record FetchedImage(byte[] bytes, String contentType, String location) {
  public FetchedImage {
    bytes = bytes.clone();
    Objects.requireNonNull(location, "location");
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FetchedImage other && Arrays.equals(bytes, other.bytes)
        && Objects.equals(contentType, other.contentType) && location.equals(other.location);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(bytes), contentType, location);
  }

  @Override
  public String toString() {
    return "FetchedImage[" + bytes.length + " bytes, " + contentType + ", " + location + "]";
  }
}
