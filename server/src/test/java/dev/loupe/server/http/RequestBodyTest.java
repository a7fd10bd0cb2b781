package dev.loupe.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.protocol.ApiException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestBodyTest {
  /**
   * Bodies whose first bytes make Jackson read UTF-32 but that are not UTF-32 text: found by
   * ResponsesRequestFuzzTest, they were a 500 (an UncheckedIOException) rather than a 400.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "7b00000006", // "{" in UTF-32LE, then a unit cut short
      "0000c4000000000065", // a UCS-4 byte order (3412) Jackson does not read
      "7b000000000000000000003c00000000", // a unit above U+10FFFF
  })
  void bytesThatAreNotUtf32AreInvalidJson(String hex) {
    ApiException e = assertThrows(ApiException.class, () -> RequestBody.parseJsonObject(HexFormat.of().parseHex(hex)));
    assertEquals(400, e.status());
    assertEquals("invalid_json", e.code());
    assertTrue(e.getMessage().startsWith("The request body is not valid JSON: "), e.getMessage());
  }
}
