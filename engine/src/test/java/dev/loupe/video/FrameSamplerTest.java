package dev.loupe.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loupe.image.DecodedImage;
import dev.loupe.video.TestClips.Kind;
import dev.loupe.video.VideoRejected.Reason;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameSamplerTest {
  private static final int CLIP_FPS = 10;

  @TempDir static Path dir;
  private static Path threeSeconds;

  private final FrameSampler sampler = new FrameSampler(VideoLimits.defaults());

  @BeforeAll
  static void writeClip() throws IOException {
    threeSeconds = TestClips.write(dir, Kind.MP4_H264, 3 * CLIP_FPS, CLIP_FPS, 160, 120);
  }

  @Test
  void threeSecondsAtFps2GivesSixFramesHalfASecondApart() throws Exception {
    SampledVideo video = sampler.sample(Files.readAllBytes(threeSeconds), 2);

    assertEquals(6, video.frames().size());
    assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5), rounded(video.frameSeconds()));
    assertEquals(3.0, video.durationSeconds(), 0.01);
    assertEquals(CLIP_FPS, video.sourceFps(), 1e-9);
    assertEquals("h264", video.codec());
    DecodedImage first = video.frames().getFirst();
    assertEquals(160, first.width());
    assertEquals(120, first.height());
    assertEquals(160 * 120 * 3, first.bgr().length);
  }

  @Test
  void eachSampledFrameShowsTheColourOfItsSecond() throws Exception {
    SampledVideo video = sampler.sample(threeSeconds, 2, 512);

    for (int i = 0; i < video.frames().size(); i++) {
      assertColour(TestClips.colourOfSecond(i / 2), video.frames().get(i), "frame " + i);
    }
  }

  @Test
  void framesAreShrunkToTheTargetLongSide() throws Exception {
    SampledVideo video = sampler.sample(threeSeconds, 2, 80);

    DecodedImage frame = video.frames().getFirst();
    assertEquals(80, frame.pixelWidth());
    assertEquals(60, frame.pixelHeight());
    assertEquals(160, frame.width());
  }

  @Test
  void fpsAboveTheSourceRateRepeatsNoFrameAndFpsBelowItSkips() throws Exception {
    assertEquals(30, sampler.sample(threeSeconds, 10, 64).frames().size());
    SampledVideo sparse = sampler.sample(threeSeconds, 0.5, 64);
    assertEquals(List.of(0.0, 2.0), rounded(sparse.frameSeconds()));
    assertColour(TestClips.colourOfSecond(2), sparse.frames().get(1), "frame at 2 s");
  }

  @Test
  void tooManySamplingTimesAreSpreadEvenly() throws Exception {
    VideoLimits limits = new VideoLimits(4, 512, 2, 600, 100L << 20, 7680L * 4320, 4, 60_000);
    SampledVideo video = new FrameSampler(limits).sample(threeSeconds, 10, 64);

    // Times 0, 0.75, 1.5, 2.25: 0.75 and 2.25 fall between two frames and take the earlier one.
    assertEquals(List.of(0.0, 0.7, 1.5, 2.2), rounded(video.frameSeconds()));
  }

  @Test
  void samplingTimesFollowTheDocumentedRule() {
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5}, FrameSampler.samplingTimes(3, 2, 768));
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5},
        FrameSampler.samplingTimes(2.99996, 2, 768));
    assertEquals(7, FrameSampler.samplingTimes(3.1, 2, 768).length);
    assertArrayEquals(new double[] {0, 10}, FrameSampler.samplingTimes(12, 0.1, 768));
    assertArrayEquals(new double[] {0, 150, 300, 450}, FrameSampler.samplingTimes(600, 10, 4));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void everyContainerDecodesToTheSameFrames(Kind kind) throws Exception {
    Path clip = TestClips.write(dir, kind, 3 * CLIP_FPS, CLIP_FPS, 160, 120);

    SampledVideo video = sampler.sample(Files.readAllBytes(clip), 2);

    assertEquals(6, video.frames().size(), kind.name());
    assertEquals(3.0, video.durationSeconds(), 0.11, kind.name());
    for (int i = 0; i < video.frames().size(); i++) {
      assertColour(TestClips.colourOfSecond(i / 2), video.frames().get(i), kind + " frame " + i);
    }
  }

  @Test
  void aVideoLongerThanTheLimitIsRefusedFromItsHeader() throws Exception {
    FrameSampler strict = new FrameSampler(VideoLimits.defaults().withDuration(2, 2.5));

    VideoRejected e = assertThrows(VideoRejected.class, () -> strict.sample(threeSeconds, 2, 64));

    assertEquals(Reason.TOO_LONG, e.reason());
    assertEquals("video is 3.0 seconds long; at most 2.5 seconds are allowed", e.getMessage());
  }

  @Test
  void aVideoShorterThanTwoSecondsIsRefused() throws Exception {
    Path oneSecond = TestClips.write(dir, Kind.MP4_H264, CLIP_FPS, CLIP_FPS, 64, 48);

    VideoRejected e = assertThrows(VideoRejected.class, () -> sampler.sample(oneSecond, 2, 64));

    assertEquals(Reason.TOO_SHORT, e.reason());
    assertEquals("video is 1.0 seconds long; at least 2 seconds are required", e.getMessage());
  }

  @Test
  void exactlyTwoSecondsIsAccepted() throws Exception {
    Path twoSeconds = TestClips.write(dir, Kind.MP4_H264, 2 * CLIP_FPS, CLIP_FPS, 64, 48);

    assertEquals(4, sampler.sample(twoSeconds, 2, 64).frames().size());
  }

  @Test
  void textNamedMp4IsRefusedAsNotAVideo() throws Exception {
    Path text = dir.resolve("notes.mp4");
    Files.writeString(text, "This is not a video, only some text in a file named .mp4\n");

    VideoRejected fromPath = assertThrows(VideoRejected.class, () -> sampler.sample(text, 2, 64));
    VideoRejected fromBytes = assertThrows(VideoRejected.class,
        () -> sampler.sample(Files.readAllBytes(text), 2));

    for (VideoRejected e : List.of(fromPath, fromBytes)) {
      assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
      assertEquals("not a supported video: expected MP4, MOV, WebM, MKV, AVI, FLV or WMV",
          e.getMessage());
    }
  }

  @Test
  void anImageIsNotAVideo() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    VideoRejected e = assertThrows(VideoRejected.class, () -> sampler.sample(png, 2));

    assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
  }

  @Test
  void aHeaderWithNothingAfterItIsMalformed() {
    byte[] ftyp = "\0\0\0\u0018ftypisom\0\0\2\0isomiso2".getBytes(StandardCharsets.ISO_8859_1);

    VideoRejected e = assertThrows(VideoRejected.class, () -> sampler.sample(ftyp, 2));

    assertEquals(Reason.MALFORMED, e.reason());
    assertEquals("malformed mp4 video: the container could not be read", e.getMessage());
  }

  @Test
  void emptyAndOversizedInputsAreRefusedBeforeDecoding() throws Exception {
    VideoRejected empty = assertThrows(VideoRejected.class, () -> sampler.sample(new byte[0], 2));
    assertEquals(Reason.EMPTY, empty.reason());
    assertEquals("video data is empty", empty.getMessage());

    byte[] clip = Files.readAllBytes(threeSeconds);
    FrameSampler small = new FrameSampler(VideoLimits.defaults().withMaxEncodedBytes(1000));
    VideoRejected large = assertThrows(VideoRejected.class, () -> small.sample(clip, 2));
    assertEquals(Reason.ENCODED_TOO_LARGE, large.reason());
    assertEquals("video is " + clip.length + " bytes; at most 1000 bytes are allowed",
        large.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.09, 10.01, -1, Double.NaN, Double.POSITIVE_INFINITY})
  void fpsOutOfRangeIsRefused(double fps) {
    VideoRejected e = assertThrows(VideoRejected.class, () -> sampler.sample(threeSeconds, fps, 64));

    assertEquals(Reason.FPS_OUT_OF_RANGE, e.reason());
    assertEquals("fps is " + VideoLimits.plain(fps) + "; it must be between 0.1 and 10",
        e.getMessage());
  }

  @Test
  void theDecodingTimeIsBounded() {
    // A clock that moves a second per reading: the budget runs out at the first check, however
    // fast the machine decodes.
    long[] now = {0};
    FrameSampler hasty = new FrameSampler(VideoLimits.defaults().withMaxDecodeMillis(1), () -> now[0] += 1_000_000_000L);

    VideoRejected e = assertThrows(VideoRejected.class, () -> hasty.sample(threeSeconds, 2, 64));

    assertEquals(Reason.TIMED_OUT, e.reason());
    assertEquals("video took longer than 1 ms to decode", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MP4_H264", "WEBM_VP8", "AVI_MJPEG"})
  void aClipCutAnywhereIsRefusedCleanlyOrGivesFewerFrames(Kind kind) throws Exception {
    byte[] clip = Files.readAllBytes(TestClips.write(dir, kind, 3 * CLIP_FPS, CLIP_FPS, 64, 48));
    FrameSampler bounded = new FrameSampler(VideoLimits.defaults().withMaxDecodeMillis(5_000));
    Set<Reason> cleanRefusals = Set.of(Reason.MALFORMED, Reason.UNSUPPORTED_FORMAT,
        Reason.TOO_SHORT, Reason.EMPTY);
    List<Integer> offsets = cutOffsets(clip.length);
    int partial = 0;
    long start = System.nanoTime();
    for (int cut : offsets) {
      byte[] head = Arrays.copyOf(clip, cut);
      try {
        SampledVideo video = bounded.sample(head, 2, 32);
        assertTrue(video.frames().size() <= 6, kind + " cut at " + cut);
        assertTrue(!video.frames().isEmpty(), kind + " cut at " + cut);
        if (video.frames().size() < 6) {
          partial++;
        }
      } catch (VideoRejected e) {
        if (!cleanRefusals.contains(e.reason())) {
          fail(kind + " cut at " + cut + " of " + clip.length + ": " + e.reason() + " " + e.getMessage());
        }
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 60_000, offsets.size() + " cuts took " + millis + " ms");
    if (kind != Kind.MP4_H264) {
      // MP4 keeps its index at the end, so only the streaming containers can yield partial clips.
      assertTrue(partial > 0, kind + ": no cut gave a partial clip");
    }
  }

  /** Every byte of the first 64, then about 150 offsets spread over the rest. */
  private static List<Integer> cutOffsets(int length) {
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < Math.min(64, length); i++) {
      offsets.add(i);
    }
    int step = Math.max(1, (length - 64) / 150);
    for (int i = 64; i < length; i += step) {
      offsets.add(i);
    }
    return offsets;
  }

  private static List<Double> rounded(List<Double> seconds) {
    return seconds.stream().map(s -> Math.round(s * 10) / 10.0).toList();
  }

  /** The mean of a patch in the top-right corner, away from the number and the moving square. */
  static void assertColour(Color expected, DecodedImage frame, String what) {
    int w = frame.pixelWidth();
    int h = frame.pixelHeight();
    byte[] bgr = frame.bgr();
    long b = 0;
    long g = 0;
    long r = 0;
    int n = 0;
    for (int y = h / 20; y < h / 6; y++) {
      for (int x = w - w / 6; x < w - w / 20; x++) {
        int i = (y * w + x) * 3;
        b += bgr[i] & 0xff;
        g += bgr[i + 1] & 0xff;
        r += bgr[i + 2] & 0xff;
        n++;
      }
    }
    Color actual = new Color((int) (r / n), (int) (g / n), (int) (b / n));
    boolean close = Math.abs(actual.getRed() - expected.getRed()) < 40
        && Math.abs(actual.getGreen() - expected.getGreen()) < 40
        && Math.abs(actual.getBlue() - expected.getBlue()) < 40;
    assertTrue(close, what + ": expected " + expected + ", got " + actual);
  }
}
