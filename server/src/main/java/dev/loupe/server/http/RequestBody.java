package dev.loupe.server.http;

import dev.loupe.protocol.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads a request body into memory under a byte cap, refusing with 413 before allocating when the
 * declared length is over the cap and as soon as a chunked body passes it.
 */
public final class RequestBody {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RequestBody() {}

  /** The whole body, at most {@code maxBytes}; 413 {@code request_too_large} beyond. */
  public static byte[] read(ServerRequest request, long maxBytes) throws IOException {
    OptionalLong declared = request.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      throw tooLarge(maxBytes, declared.getAsLong());
    }
    if (!request.content().hasEntity()) {
      return new byte[0];
    }
    int initial = (int) Math.min(declared.orElse(8192), maxBytes);
    byte[] buffer = new byte[Math.max(initial, 16)];
    int length = 0;
    try (InputStream in = request.content().inputStream()) {
      while (true) {
        if (length == buffer.length) {
          if (length >= maxBytes) {
            if (in.read() < 0) {
              break;
            }
            throw tooLarge(maxBytes, -1);
          }
          buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes, (long) buffer.length * 2));
        }
        int n = in.read(buffer, length, buffer.length - length);
        if (n < 0) {
          break;
        }
        length += n;
      }
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  /**
   * The body as a JSON object, at most {@code maxBytes}. Malformed JSON is 400 {@code invalid_json};
   * anything but an object (an array, a number, nothing) is 400 too.
   */
  public static ObjectNode readJsonObject(ServerRequest request, long maxBytes) throws IOException {
    return parseJsonObject(read(request, maxBytes));
  }

  /** {@code body} as a JSON object, with the same errors as {@link #readJsonObject}. */
  public static ObjectNode parseJsonObject(byte[] body) {
    JsonNode node;
    try {
      node = body.length == 0 ? null : MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid_json", null,
          "The request body is not valid JSON: " + e.getOriginalMessage());
    } catch (CharConversionException e) {
      // Jackson reads a body whose first bytes look like UTF-32 as UTF-32, and reports bytes that
      // are not such text (a truncated or out-of-range unit, an odd byte order) this way.
      throw ApiException.badRequest("invalid_json", null,
          "The request body is not valid JSON: " + e.getMessage());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading JSON from memory", e); // cannot happen
    }
    if (node == null || node.isMissingNode()) {
      throw ApiException.badRequest("invalid_json", null, "The request body is empty: send a JSON object.");
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.badRequest("invalid_json", null,
          "The request body must be a JSON object, got: " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return object;
  }

  private static ApiException tooLarge(long maxBytes, long declared) {
    return new ApiException(413, "invalid_request_error", "request_too_large", null,
        "The request body is larger than the server accepts: at most " + maxBytes + " bytes"
            + (declared >= 0 ? ", got: " + declared : "") + ".");
  }
}
