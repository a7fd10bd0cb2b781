package dev.loupe.server.rest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.loupe.protocol.ApiException;

/**
 * Fuzz target for the multipart parser: any failure but a 4xx {@link ApiException} is a finding.
 * Replays {@code MultipartFormFuzzTestInputs} in the normal suite; {@code JAZZER_FUZZ=1} fuzzes.
 */
class MultipartFormFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(byte[] body) {
    try {
      MultipartForm.parse(body, "multipart/form-data; boundary=b0undary");
    } catch (ApiException e) {
      if (e.status() >= 500) {
        throw e;
      }
    }
  }
}
