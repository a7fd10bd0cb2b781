package dev.loupe.video;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzz target for the video container check, at every length of the head it is given. */
class VideoContainerFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void detect(byte[] head) {
    for (int length = 0; length <= head.length; length += Math.max(1, head.length / 8)) {
      VideoContainer.detect(head, length);
    }
  }
}
