package dev.loupe.server.rest;

import dev.loupe.tools.HitJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) already read under the server's body cap: at most
 * one {@code file} part plus text fields, which become a JSON object so that forms and JSON bodies
 * are validated by the same code.
 *
 * <p>Helidon 4.5 ships no multipart media support on Maven Central (the last {@code
 * helidon-http-media-multipart} is 4.1.x), so this strict parser stands in. It refuses more than
 * {@value #MAX_PARTS} parts, part headers over {@value #MAX_HEADER_BYTES} bytes and text fields over
 * {@value #MAX_FIELD_BYTES} bytes before copying them. The file part is bounded by the body cap;
 * the image loader then applies the image limits with its own messages.
 *
 * @param file the bytes of the {@code file} part, or null if there was none
 * @param fileName the file part's {@code filename}, or null
 * @param fields the text fields: {@code match} and {@code domain} as arrays (repeated fields and
 *     comma-separated values both accepted), {@code top_k} as a number when it is one, the rest as
 *     strings
 */
record MultipartForm(byte[] file, String fileName, ObjectNode fields) {
  static final int MAX_PARTS = 16;
  static final int MAX_HEADER_BYTES = 8192;
  static final int MAX_FIELD_BYTES = 64 * 1024;
  private static final Set<String> LIST_FIELDS = Set.of("match", "domain");
  private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
  private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
  private static final Pattern FILE_NAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");

  MultipartForm {
    file = file == null ? null : file.clone();
  }

  @Override
  public byte[] file() {
    return file == null ? null : file.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultipartForm m && Arrays.equals(file, m.file)
        && java.util.Objects.equals(fileName, m.fileName) && fields.equals(m.fields);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(file) + fields.hashCode();
  }

  static boolean isMultipart(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  static MultipartForm parse(byte[] body, String contentType) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw malformed("the Content-Type has no boundary parameter");
    }
    byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delimiter, 0);
    if (pos < 0) {
      throw malformed("the body does not contain the boundary");
    }
    byte[] file = null;
    String fileName = null;
    ObjectNode fields = HitJson.MAPPER.createObjectNode();
    int parts = 0;
    while (true) {
      pos += delimiter.length;
      if (startsWith(body, pos, "--")) {
        break; // the closing delimiter; anything after it is an epilogue
      }
      if (!startsWith(body, pos, "\r\n")) {
        throw malformed("a boundary line is not followed by CRLF");
      }
      pos += 2;
      if (++parts > MAX_PARTS) {
        throw malformed("more than " + MAX_PARTS + " parts");
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
      if (headersEnd < 0 || headersEnd - pos > MAX_HEADER_BYTES) {
        throw malformed("part " + parts + " has no end of headers within " + MAX_HEADER_BYTES + " bytes");
      }
      String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
      int contentStart = headersEnd + 4;
      byte[] next = concat("\r\n".getBytes(StandardCharsets.ISO_8859_1), delimiter);
      int contentEnd = indexOf(body, next, contentStart);
      if (contentEnd < 0) {
        throw malformed("part " + parts + " is not closed by the boundary (truncated body?)");
      }
      String disposition = header(headers, "content-disposition");
      Matcher name = disposition == null ? null : NAME.matcher(disposition);
      if (name == null || !name.find()) {
        throw malformed("part " + parts + " has no Content-Disposition name");
      }
      String field = name.group(1);
      if (field.equals("file")) {
        if (file != null) {
          throw ApiException.invalidValue("file", "Send one file part only.");
        }
        file = Arrays.copyOfRange(body, contentStart, contentEnd);
        Matcher fn = FILE_NAME.matcher(disposition);
        fileName = fn.find() && !fn.group(1).isBlank() ? fn.group(1) : null;
      } else {
        if (contentEnd - contentStart > MAX_FIELD_BYTES) {
          throw ApiException.invalidValue(field, "Form field " + field + " is longer than " + MAX_FIELD_BYTES + " bytes.");
        }
        add(fields, field, new String(body, contentStart, contentEnd - contentStart, StandardCharsets.UTF_8));
      }
      pos = contentEnd + 2;
    }
    return new MultipartForm(file, fileName, fields);
  }

  private static void add(ObjectNode fields, String field, String value) {
    if (LIST_FIELDS.contains(field)) {
      ArrayNode array = fields.has(field) ? (ArrayNode) fields.get(field) : fields.putArray(field);
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          array.add(item.strip());
        }
      }
    } else if (field.equals("top_k") && value.strip().matches("-?\\d{1,9}")) {
      fields.put(field, Integer.parseInt(value.strip()));
    } else {
      fields.put(field, value);
    }
  }

  private static String header(String headers, String name) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  private static ApiException malformed(String why) {
    return ApiException.badRequest("invalid_multipart", null, "Malformed multipart/form-data body: " + why + ".");
  }

  private static boolean startsWith(byte[] body, int pos, String text) {
    if (pos + text.length() > body.length) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (body[pos + i] != text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    byte first = needle[0];
    int last = haystack.length - needle.length;
    for (int i = Math.max(from, 0); i <= last; i++) {
      if (haystack[i] == first && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }
}
