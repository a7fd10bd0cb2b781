package dev.loupe.tools;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;

/**
 * The OpenAI error codes (contract 8.1 and 8.3) for images the engine refuses or cannot fetch.
 * One table for every path: an HTTP 400 before any work starts, and the {@code error.code} of a
 * failed Response when the tool meets the problem later. Every value is in the enum both OpenAI
 * SDKs know.
 */
public final class ImageErrorCodes {
  private ImageErrorCodes() {}

  /** The code for an image that was read but refused. */
  public static String of(ImageRejected.Reason reason) {
    return switch (reason) {
      case EMPTY -> "empty_image_file";
      case UNSUPPORTED_FORMAT -> "unsupported_image_media_type";
      case MALFORMED -> "image_parse_error";
      case TOO_SMALL -> "image_too_small";
      case ASPECT_RATIO -> "invalid_image";
      case ENCODED_TOO_LARGE -> "image_file_too_large";
      case TOO_MANY_PIXELS -> "image_too_large";
      case METADATA_TOO_LARGE -> "image_parse_error";
    };
  }

  /**
   * The code for an image that could not be read.
   *
   * @param inline whether the reference was inline data (a data URL): bad Base64 there is
   *     {@code invalid_image}, because openai-java 4.101 lacks {@code invalid_base64_image}
   */
  public static String of(FetchException.Reason reason, boolean inline) {
    return switch (reason) {
      case BAD_REFERENCE -> inline ? "invalid_image" : "invalid_image_url";
      // The URL is well formed but points where this server does not fetch from.
      case BLOCKED_ADDRESS -> "invalid_image_url";
      case NOT_FOUND -> "image_file_not_found";
      case UNREACHABLE, TIMEOUT, HTTP_STATUS, TOO_MANY_REDIRECTS -> "failed_to_download_image";
      case TOO_LARGE -> "image_file_too_large";
      case BAD_CONTENT_TYPE -> "unsupported_image_media_type";
    };
  }
}
