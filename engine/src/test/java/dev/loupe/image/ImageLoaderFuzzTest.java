package dev.loupe.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;

/**
 * Fuzz target for the header reader, the structure and metadata checks and the decoder entry.
 * In the normal suite it replays the committed corpus ({@code ImageLoaderFuzzTestInputs}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (docs/security.md). Any exception other than {@link
 * ImageRejected} (and an {@link Error} from a decode of a few pixels) is a finding.
 */
class ImageLoaderFuzzTest {
  /** Small limits keep each execution fast: the fuzzer explores parsing, not large decodes. */
  private static final ImageLoader LOADER = new ImageLoader(new ImageLimits(11, 200, 1 << 20, 1 << 20, 1 << 16),
      List.of(), new PixelBudget(64L << 20, Duration.ZERO));

  @FuzzTest(maxDuration = "10s")
  void probeAndDecode(byte[] encoded) {
    try {
      LOADER.probe(encoded);
      LOADER.decode(encoded, 64);
    } catch (ImageRejected expected) {
      // a refusal with a message is the correct answer to bad bytes
    }
  }
}
