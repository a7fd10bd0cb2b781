package dev.loupe.protocol.completion;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loupe.protocol.JsonRequestFuzzing;

/** Fuzz target for the Chat Completions request parser ({@link JsonRequestFuzzing}). */
class ChatRequestFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(byte[] json) {
    JsonRequestFuzzing.drive(json, body -> ChatRequestParser.parse(body));
  }
}
