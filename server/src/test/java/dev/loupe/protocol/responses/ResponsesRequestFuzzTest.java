package dev.loupe.protocol.responses;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loupe.protocol.JsonRequestFuzzing;

/** Fuzz target for the Responses request parser ({@link JsonRequestFuzzing}). */
class ResponsesRequestFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(byte[] json) {
    JsonRequestFuzzing.drive(json, body -> ResponsesRequestParser.parse(body, null));
  }
}
