package dev.loupe.tools;

import java.util.Arrays;
import java.util.Objects;

/**
 * The arguments of one {@code image_search} call: exactly one image, as a URL or as bytes.
 *
 * @param imageUrl an http(s) or data URL, or null when {@code imageBytes} is given
 * @param imageBytes the encoded image, or null when {@code imageUrl} is given; copied in and out
 * @param query optional text that came with the image (the user's words); with a text-capable
 *     embedding model it steers the ranking of similar images (a hybrid query), else it is kept for
 *     the model's summary only
 * @param count how many results are wanted, at least 1; the tool caps it at its configured maximum
 */
public record ImageSearchArguments(String imageUrl, byte[] imageBytes, String query, int count) {
  public ImageSearchArguments {
    if ((imageUrl == null) == (imageBytes == null)) {
      throw new IllegalArgumentException("exactly one of imageUrl and imageBytes must be given");
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got: " + count);
    }
    imageBytes = imageBytes == null ? null : imageBytes.clone();
  }

  /** A search for the image at a URL. */
  public static ImageSearchArguments ofUrl(String imageUrl, String query, int count) {
    return new ImageSearchArguments(Objects.requireNonNull(imageUrl, "imageUrl"), null, query, count);
  }

  @Override
  public byte[] imageBytes() {
    return imageBytes == null ? null : imageBytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageSearchArguments a && Objects.equals(imageUrl, a.imageUrl)
        && Arrays.equals(imageBytes, a.imageBytes) && Objects.equals(query, a.query) && count == a.count;
  }

  @Override
  public int hashCode() {
    return Objects.hash(imageUrl, Arrays.hashCode(imageBytes), query, count);
  }

  @Override
  public String toString() {
    return "ImageSearchArguments[" + (imageUrl != null ? abbreviate(imageUrl) : imageBytes.length + " bytes")
        + ", query=" + query + ", count=" + count + "]";
  }

  private static String abbreviate(String url) {
    return url.length() <= 80 ? url : url.substring(0, 77) + "...";
  }
}
