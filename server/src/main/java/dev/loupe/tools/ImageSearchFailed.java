package dev.loupe.tools;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import java.util.Objects;

/**
 * An {@code image_search} call could not run. {@link #code()} is one of the OpenAI error codes of
 * contract section 8.1/8.3 ({@code image_too_small}, {@code failed_to_download_image}, …), so a
 * protocol can put it into {@code response.error.code} unchanged; the message is the engine's.
 */
public final class ImageSearchFailed extends Exception {
  private final String code;

  public ImageSearchFailed(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public String code() {
    return code;
  }

  /** The contract 8.3 code for an image the engine refused. */
  static ImageSearchFailed of(ImageRejected e) {
    String code = ImageErrorCodes.of(e.reason());
    return new ImageSearchFailed(code, e.getMessage(), e);
  }

  /** The contract 8.3 code for an image that could not be fetched. */
  static ImageSearchFailed of(FetchException e) {
    String code = ImageErrorCodes.of(e.reason(), e.getMessage() != null && e.getMessage().startsWith("data:"));
    return new ImageSearchFailed(code, e.getMessage(), e);
  }
}
