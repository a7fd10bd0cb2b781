package dev.loupe.server.rest;

import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.protocol.ApiException;
import java.util.Locale;

/**
 * Reads images named in HTTP requests. Remote callers never read the server's files: only {@code
 * http(s)} URLs (fetched under the engine's {@code FetchPolicy}, private addresses refused unless
 * the operator allowed them) and {@code data:} URLs are accepted; a path, a {@code file:} URL or
 * bare Base64 is a 400, decided from the text before anything touches the file system.
 */
final class RemoteImages {
  private final ImageFetcher fetcher;

  RemoteImages(ImageFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /** The parsed image, refused unless it is an http(s) or data URL ({@link RemoteImage#parse}). */
  static RemoteImage parse(String text, String param) {
    if (!RemoteImage.accepts(text)) {
      throw refused(param, text);
    }
    try {
      return RemoteImage.parse(text);
    } catch (FetchException e) {
      throw ApiException.image(param, e, text.strip().regionMatches(true, 0, "data:", 0, 5));
    }
  }

  /** The bytes of {@code image}. */
  byte[] read(RemoteImage image, String param) {
    try {
      return fetcher.read(image).bytes();
    } catch (FetchException e) {
      throw ApiException.image(param, e, image instanceof RemoteImage.Data);
    }
  }

  private static ApiException refused(String param, String text) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "…" : text;
    return ApiException.badRequest("invalid_image_url", param, param + " must be an http(s) URL or a"
        + " data:image/...;base64 URL (or upload the file as multipart/form-data); local paths, file: URLs"
        + " and bare Base64 are not accepted over HTTP, got: " + shown);
  }
}
