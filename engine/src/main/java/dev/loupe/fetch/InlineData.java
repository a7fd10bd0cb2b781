package dev.loupe.fetch;

import dev.loupe.fetch.FetchException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.HexFormat;

/** Decodes data URL and bare Base64 payloads, after checking their length. */
final class InlineData {
  private InlineData() {}

  /**
   * The encoded length is what is limited, as in the hosted service ("the encoded string must be
   * under 10 MB"); it also bounds the decoded size, so nothing is decoded before the check.
   */
  static void checkLength(String where, String payload, long maxBytes) throws FetchException {
    if (payload.length() > maxBytes) {
      throw new FetchException(Reason.TOO_LARGE, where + ": data is " + payload.length()
          + " characters; at most " + maxBytes + " characters are allowed");
    }
  }

  /** Standard or URL-safe alphabet, padding optional, whitespace (line breaks) ignored. */
  static byte[] base64(String where, String payload) throws FetchException {
    StringBuilder compact = new StringBuilder(payload.length());
    payload.chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> compact.append((char) c));
    boolean urlSafe = compact.indexOf("-") >= 0 || compact.indexOf("_") >= 0;
    try {
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact.toString());
    } catch (IllegalArgumentException e) {
      throw new FetchException(Reason.BAD_REFERENCE, where + ": invalid base64 (" + e.getMessage() + ")");
    }
  }

  /**
   * RFC 3986 percent-decoding to bytes. Written here because {@link java.net.URLDecoder} decodes
   * HTML form encoding ('+' becomes a space) and to text, not bytes.
   */
  static byte[] percentDecoded(String where, String payload) throws FetchException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length());
    for (int i = 0; i < payload.length(); i++) {
      char c = payload.charAt(i);
      if (c == '%') {
        if (i + 2 >= payload.length() || !isHex(payload.charAt(i + 1)) || !isHex(payload.charAt(i + 2))) {
          throw new FetchException(Reason.BAD_REFERENCE,
              where + ": invalid percent-encoding at character " + i);
        }
        out.write(HexFormat.fromHexDigits(payload, i + 1, i + 3));
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        throw new FetchException(Reason.BAD_REFERENCE,
            where + ": non-ASCII character at " + i + " must be percent-encoded");
      }
    }
    return out.toByteArray();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
