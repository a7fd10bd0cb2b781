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
    String code = switch (e.reason()) {
      case EMPTY -> "empty_image_file";
      case UNSUPPORTED_FORMAT -> "unsupported_image_media_type";
      case MALFORMED -> "image_parse_error";
      case TOO_SMALL -> "image_too_small";
      case ASPECT_RATIO -> "invalid_image";
      case ENCODED_TOO_LARGE -> "image_file_too_large";
      case TOO_MANY_PIXELS -> "image_too_large";
    };
    return new ImageSearchFailed(code, e.getMessage(), e);
  }

  /** The contract 8.3 code for an image that could not be fetched. */
  static ImageSearchFailed of(FetchException e) {
    String code = switch (e.reason()) {
      // Bad Base64 in a data URL is "invalid_image": Java 4.101.0 lacks invalid_base64_image (8.1).
      case BAD_REFERENCE -> e.getMessage() != null && e.getMessage().startsWith("data:")
          ? "invalid_image" : "invalid_image_url";
      case NOT_FOUND -> "image_file_not_found";
      case TOO_LARGE -> "image_file_too_large";
      case BLOCKED_ADDRESS, UNREACHABLE, TIMEOUT, HTTP_STATUS, BAD_CONTENT_TYPE, TOO_MANY_REDIRECTS ->
          "failed_to_download_image";
    };
    return new ImageSearchFailed(code, e.getMessage(), e);
  }
}
