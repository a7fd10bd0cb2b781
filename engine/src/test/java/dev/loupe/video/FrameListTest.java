package dev.loupe.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loupe.image.ImageFormat;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.video.VideoRejected.Reason;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameListTest {
  private final FrameList frameList =
      new FrameList(VideoLimits.defaults(), new ImageLoader(ImageLimits.defaults()));

  @Test
  void fourFramesOfDifferentSizesAndFormatsAreDatedAtFps() throws Exception {
    List<byte[]> frames = List.of(image("png", 0, 64, 48), image("jpg", 1, 40, 40),
        image("png", 2, 120, 90), image("bmp", 3, 32, 64));

    SampledVideo video = frameList.load(frames, 2);

    assertEquals(4, video.frames().size());
    assertEquals(List.of(0.0, 0.5, 1.0, 1.5), video.frameSeconds());
    assertEquals(2.0, video.durationSeconds());
    assertEquals(2.0, video.sourceFps());
    assertEquals("frames", video.codec());
    assertEquals(ImageFormat.JPEG, video.frames().get(1).format());
    assertEquals(32, video.frames().get(3).width());
    for (int i = 0; i < 4; i++) {
      FrameSamplerTest.assertColour(TestClips.colourOfSecond(i), video.frames().get(i), "frame " + i);
    }
  }

  @Test
  void framesAreShrunkToTheTargetLongSide() throws Exception {
    List<byte[]> frames = Collections.nCopies(4, image("png", 0, 120, 90));

    SampledVideo video = frameList.load(frames, 1, 60);

    assertEquals(60, video.frames().getFirst().pixelWidth());
    assertEquals(45, video.frames().getFirst().pixelHeight());
    assertEquals(4.0, video.durationSeconds());
  }

  @Test
  void threeFramesAreTooFew() throws Exception {
    List<byte[]> frames = Collections.nCopies(3, image("png", 0, 32, 32));

    VideoRejected e = assertThrows(VideoRejected.class, () -> frameList.load(frames, 2));

    assertEquals(Reason.TOO_FEW_FRAMES, e.reason());
    assertEquals("video frame list has 3 images; at least 4 are required", e.getMessage());
  }

  @Test
  void moreThanTheLimitAreRefusedBeforeAnyIsDecoded() {
    // Garbage bytes: if any frame were decoded first, the error would be FRAME_REJECTED.
    List<byte[]> frames = Collections.nCopies(513, new byte[] {1, 2, 3});

    VideoRejected e = assertThrows(VideoRejected.class, () -> frameList.load(frames, 2));

    assertEquals(Reason.TOO_MANY_FRAMES, e.reason());
    assertEquals("video frame list has 513 images; at most 512 are allowed", e.getMessage());
  }

  @Test
  void anotherTierAdmitsTwoThousandFrames() throws Exception {
    FrameList plus = new FrameList(VideoLimits.defaults().withFrames(4, 2000),
        new ImageLoader(ImageLimits.defaults()));
    List<byte[]> frames = Collections.nCopies(2001, new byte[] {1});

    VideoRejected e = assertThrows(VideoRejected.class, () -> plus.load(frames, 2));

    assertEquals("video frame list has 2001 images; at most 2000 are allowed", e.getMessage());
  }

  @Test
  void anEmptyListIsRefused() {
    VideoRejected e = assertThrows(VideoRejected.class, () -> frameList.load(List.of(), 2));

    assertEquals(Reason.EMPTY, e.reason());
    assertEquals("video frame list is empty; at least 4 images are required", e.getMessage());
  }

  @Test
  void aBadFrameRefusesTheListAndNamesItsPosition() throws Exception {
    List<byte[]> frames = new ArrayList<>(Collections.nCopies(4, image("png", 0, 32, 32)));
    frames.set(2, image("png", 0, 5, 5));

    VideoRejected e = assertThrows(VideoRejected.class, () -> frameList.load(frames, 2));

    assertEquals(Reason.FRAME_REJECTED, e.reason());
    assertEquals("video frame 3 of 4: image is 5x5 pixels; each side must be more than 10 pixels",
        e.getMessage());
    assertEquals(ImageRejected.Reason.TOO_SMALL, assertInstanceOf(ImageRejected.class, e.getCause()).reason());
  }

  @Test
  void fpsOutOfRangeIsRefused() throws Exception {
    List<byte[]> frames = Collections.nCopies(4, image("png", 0, 32, 32));

    VideoRejected e = assertThrows(VideoRejected.class, () -> frameList.load(frames, 12));

    assertEquals(Reason.FPS_OUT_OF_RANGE, e.reason());
    assertEquals("fps is 12; it must be between 0.1 and 10", e.getMessage());
  }

  private static byte[] image(String format, int second, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(TestClips.colourOfSecond(second));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.fillRect(0, height - 4, 4, 4);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }
}
