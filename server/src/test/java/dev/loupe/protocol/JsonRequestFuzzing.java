package dev.loupe.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;
import java.io.CharConversionException;
import java.io.IOException;

/**
 * The body of the JSON request-parser fuzz targets: bytes that are a JSON object go to the parser,
 * which may refuse them only with an {@link ApiException} (a 400 with a message); anything else it
 * throws is a finding. Bytes that are not a JSON object stop at Jackson, as they do in the server.
 */
public final class JsonRequestFuzzing {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A request parser under test. */
  public interface Parser {
    void parse(ObjectNode body) throws ApiException;
  }

  private JsonRequestFuzzing() {}

  public static void drive(byte[] json, Parser parser) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException | CharConversionException e) {
      return; // RequestBody.parseJsonObject answers both with 400 invalid_json
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (!(node instanceof ObjectNode body)) {
      return;
    }
    try {
      parser.parse(body);
    } catch (ApiException expected) {
      // a 400 with a message
    }
  }
}
