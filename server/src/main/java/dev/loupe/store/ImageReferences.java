package dev.loupe.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Swaps the Base64 image data URLs in a JSON document for short references to their bytes, and
 * back. A string value {@code "data:image/png;base64,AAAA"} is stored as {@code
 * "loupe-stored-image:sha256:<hex of the decoded bytes>:data:image/png;base64,"} and the bytes once
 * under their hash; expanding gives back the same text. A string that already starts with the
 * marker gets it doubled on the way in and halved on the way out, so no client text is mistaken for
 * a reference.
 *
 * <p>Works on the JSON text rather than a parsed tree: the documents are written by Jackson, whose
 * strings never escape Base64 characters, so an image is one unescaped run between quotes, and a
 * text pass keeps every other byte as it was without parsing and re-serialising documents of several
 * megabytes. Data URLs that contain an escape or are not canonical Base64 stay inline (still correct,
 * only not shared).
 */
final class ImageReferences {
  static final String MARKER = "loupe-stored-image:";
  private static final String DATA_IMAGE = "data:image/";
  private static final String BASE64 = ";base64,";
  private static final String HASH = "sha256:";

  /** A document with its images taken out, and those images by hash. */
  record Reduced(String json, Map<String, byte[]> images) {}

  private ImageReferences() {}

  static Reduced reduce(String json) {
    StringBuilder out = null;
    Map<String, byte[]> images = new LinkedHashMap<>();
    int copied = 0;
    for (int quote = json.indexOf('"'); quote >= 0; quote = json.indexOf('"', quote + 1)) {
      if (escaped(json, quote)) {
        continue;
      }
      int start = quote + 1;
      String replacement = null;
      boolean escapeMarker = false;
      int end = -1;
      if (json.startsWith(DATA_IMAGE, start)) {
        end = json.indexOf('"', start);
        int comma = json.indexOf(BASE64, start);
        if (end > 0 && comma > 0 && comma < end && json.indexOf('\\', start, end) < 0) {
          String header = json.substring(start, comma + BASE64.length());
          String payload = json.substring(comma + BASE64.length(), end);
          byte[] bytes = decodeCanonical(payload);
          if (bytes != null) {
            String hash = sha256(bytes);
            images.putIfAbsent(hash, bytes);
            replacement = MARKER + HASH + hash + ":" + header;
          }
        }
      } else if (json.startsWith(MARKER, start)) {
        end = start + MARKER.length();
        replacement = MARKER + MARKER;
        escapeMarker = true;
      }
      if (replacement == null) {
        quote = closing(json, start);
        if (quote < 0) {
          break;
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(json.length());
      }
      out.append(json, copied, start).append(replacement);
      copied = end;
      quote = escapeMarker ? closing(json, start) : end;
      if (quote < 0) {
        break;
      }
    }
    if (out == null) {
      return new Reduced(json, images);
    }
    return new Reduced(out.append(json, copied, json.length()).toString(), images);
  }

  /**
   * The document with each reference replaced by its data URL.
   *
   * @param images the bytes of an image by hash, or null if unknown (then the reference stays)
   */
  static String expand(String json, Function<String, byte[]> images) {
    if (!json.contains(MARKER)) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length() * 2);
    int copied = 0;
    for (int at = json.indexOf('"' + MARKER); at >= 0; at = json.indexOf('"' + MARKER, at + 1)) {
      if (escaped(json, at)) {
        continue;
      }
      int start = at + 1;
      int afterMarker = start + MARKER.length();
      if (json.startsWith(MARKER, afterMarker)) {
        out.append(json, copied, start);
        copied = afterMarker;
        continue;
      }
      int end = json.indexOf('"', afterMarker);
      int hashEnd = afterMarker + HASH.length() + 64;
      if (end < 0 || !json.startsWith(HASH, afterMarker) || hashEnd >= end || json.charAt(hashEnd) != ':') {
        continue;
      }
      byte[] bytes = images.apply(json.substring(afterMarker + HASH.length(), hashEnd));
      if (bytes == null) {
        continue;
      }
      out.append(json, copied, start).append(json, hashEnd + 1, end).append(Base64.getEncoder().encodeToString(bytes));
      copied = end;
    }
    return out.append(json, copied, json.length()).toString();
  }

  /** The hashes a reduced document references. */
  static java.util.Set<String> references(String json) {
    java.util.Set<String> hashes = new java.util.LinkedHashSet<>();
    String prefix = '"' + MARKER + HASH;
    for (int at = json.indexOf(prefix); at >= 0; at = json.indexOf(prefix, at + 1)) {
      int hashStart = at + prefix.length();
      if (!escaped(json, at) && hashStart + 64 <= json.length()) {
        hashes.add(json.substring(hashStart, hashStart + 64));
      }
    }
    return hashes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The bytes, or null unless the text is Base64 exactly as the encoder writes it. */
  private static byte[] decodeCanonical(String payload) {
    try {
      byte[] bytes = Base64.getDecoder().decode(payload.getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(bytes).equals(payload) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether the character at {@code i} follows an odd number of backslashes. */
  private static boolean escaped(String json, int i) {
    int backslashes = 0;
    while (i - backslashes - 1 >= 0 && json.charAt(i - backslashes - 1) == '\\') {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /** The index of the quote closing the string that starts at {@code start}, or -1. */
  private static int closing(String json, int start) {
    for (int q = json.indexOf('"', start); q >= 0; q = json.indexOf('"', q + 1)) {
      if (!escaped(json, q)) {
        return q;
      }
    }
    return -1;
  }
}
