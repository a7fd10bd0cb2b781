package dev.loupe.fetch;

import dev.loupe.fetch.FetchException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** The text rules behind {@link ImageReference#parse(String)}. */
final class ReferenceSyntax {
  private ReferenceSyntax() {}

  /** 24 bytes, less than any real image, encode to 32 characters. */
  static final int MIN_BASE64_CHARS = 32;

  /** RFC 3986 scheme; two letters at least, so that {@code C:\photo.jpg} stays a path. */
  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):");
  private static final Pattern BASE64 =
      Pattern.compile("[A-Za-z0-9+/\\s]+={0,2}\\s*|[A-Za-z0-9_\\-\\s]+={0,2}\\s*");
  private static final int SHOWN_CHARS = 80;

  static String scheme(String text) {
    var matcher = SCHEME.matcher(text);
    return matcher.find() ? matcher.group(1).toLowerCase(Locale.ROOT) : null;
  }

  static URI httpUri(String text) throws FetchException {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new FetchException(Reason.BAD_REFERENCE,
          shorten(text) + ": not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
    NumericHost.check(shorten(text), uri);
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new FetchException(Reason.BAD_REFERENCE, shorten(text) + ": URL has no host");
    }
    return uri;
  }

  /** RFC 2397: {@code data:[<mediatype>][;base64],<data>}. */
  static ImageReference.DataUrl dataUrl(String text) throws FetchException {
    int comma = text.indexOf(',');
    if (comma < 0) {
      throw new FetchException(Reason.BAD_REFERENCE,
          shorten(text) + ": data URL has no comma before its data");
    }
    String header = text.substring("data:".length(), comma);
    String[] parts = header.split(";", -1);
    String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
    boolean base64 = parts.length > 1 && parts[parts.length - 1].strip().equalsIgnoreCase("base64");
    return new ImageReference.DataUrl(mediaType, base64, text.substring(comma + 1));
  }

  static boolean looksLikeBase64(String text) {
    if (text.length() < MIN_BASE64_CHARS || !BASE64.matcher(text).matches()) {
      return false;
    }
    long significant = text.chars().filter(c -> !Character.isWhitespace(c)).count();
    return significant % 4 == 0 || text.indexOf('=') < 0; // padded, or unpadded URL-safe style
  }

  static boolean existingPath(String text) {
    try {
      return Files.exists(Path.of(text));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** Long locations (a pasted data URL) would swamp a message; show the start. */
  static String shorten(String text) {
    return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "…";
  }
}
