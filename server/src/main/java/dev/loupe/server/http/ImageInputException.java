package dev.loupe.server.http;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import java.util.Objects;

/**
 * An image given in a request could not be read or was refused, tied to the request field that
 * carried it. {@link ErrorMapping} turns the cause's reason into the contract's code (section 8.3)
 * and keeps the cause's message, which the loader and fetcher word for the caller.
 */
public final class ImageInputException extends Exception {
  private final String param;
  private final boolean inline;

  /**
   * @param param the field that carried the image, for example {@code image_url} or {@code file}
   * @param inline whether the image was inline data (a data URL or an upload) rather than a URL to
   *     fetch; bad inline data is {@code invalid_image}, a bad URL {@code invalid_image_url}
   * @param cause a {@link FetchException} or an {@link ImageRejected}
   */
  public ImageInputException(String param, boolean inline, Exception cause) {
    super(Objects.requireNonNull(cause, "cause").getMessage(), cause, false, false);
    if (!(cause instanceof FetchException || cause instanceof ImageRejected)) {
      throw new IllegalArgumentException("not an image failure: " + cause);
    }
    this.param = param;
    this.inline = inline;
  }

  public String param() {
    return param;
  }

  public boolean inline() {
    return inline;
  }
}
