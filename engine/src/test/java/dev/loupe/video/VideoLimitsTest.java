package dev.loupe.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VideoLimitsTest {
  @Test
  void defaultsAreThePublishedQwen25VlLimits() {
    VideoLimits limits = VideoLimits.defaults();

    assertEquals(4, limits.minFrames());
    assertEquals(512, limits.maxFrames());
    assertEquals(2.0, limits.minDurationSeconds());
    assertEquals(600.0, limits.maxDurationSeconds());
    assertEquals(100L << 20, limits.maxEncodedBytes());
    assertEquals(768, limits.maxSampledFrames());
  }

  @Test
  void fpsBoundsAreInclusive() throws Exception {
    assertEquals(0.1, VideoLimits.checkFps(0.1));
    assertEquals(10.0, VideoLimits.checkFps(10));
    assertEquals(2.0, VideoLimits.checkFps(VideoLimits.DEFAULT_FPS));
  }

  @Test
  void invalidLimitsNameTheComponentAndTheValue() {
    assertMessage("minFrames must be at least 1, got: 0",
        () -> VideoLimits.defaults().withFrames(0, 10));
    assertMessage("maxFrames must be at least minFrames (4), got: 3",
        () -> VideoLimits.defaults().withFrames(4, 3));
    assertMessage("maxDurationSeconds must be finite, positive and at least minDurationSeconds"
        + " (2.0), got: 1.0", () -> VideoLimits.defaults().withDuration(2, 1));
    assertMessage("minDurationSeconds must be a finite number of at least 0, got: NaN",
        () -> VideoLimits.defaults().withDuration(Double.NaN, 1));
    assertMessage("maxEncodedBytes must be at least 1, got: 0",
        () -> VideoLimits.defaults().withMaxEncodedBytes(0));
    assertMessage("maxDecodeMillis must be at least 1, got: 0",
        () -> VideoLimits.defaults().withMaxDecodeMillis(0));
  }

  private static void assertMessage(String expected, Runnable construction) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
    assertEquals(expected, e.getMessage());
  }
}
