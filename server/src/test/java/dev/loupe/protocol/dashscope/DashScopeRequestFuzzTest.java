package dev.loupe.protocol.dashscope;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loupe.protocol.JsonRequestFuzzing;

/** Fuzz target for the DashScope native request parser ({@link JsonRequestFuzzing}). */
class DashScopeRequestFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(byte[] json) {
    JsonRequestFuzzing.drive(json, body -> DashScopeRequestParser.parse(body, false));
  }
}
