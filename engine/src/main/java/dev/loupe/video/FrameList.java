package dev.loupe.video;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.video.VideoRejected.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Loads a video given as a list of frame images (the {@code "video": [url, url, …]} form), which
 * the hosted service reads as frames taken at {@code fps}.
 *
 * <pre>{@code
 * FrameList frameList = new FrameList(VideoLimits.defaults(), new ImageLoader(ImageLimits.defaults()));
 * SampledVideo video = frameList.load(List.of(f1, f2, f3, f4), 2);
 * }</pre>
 *
 * <p>Checks {@code fps} and the count against {@link VideoLimits#minFrames()} and {@link
 * VideoLimits#maxFrames()} before decoding anything, then loads every frame with the {@link
 * ImageLoader} and its image limits; the first refused frame refuses the list, naming its
 * position. Frames need not share a size or format. All frames are kept; {@code fps} only dates
 * them ({@code i / fps}).
 *
 * <p>Thread-safe if the loader is (the engine's is); memory is one decoded frame per image.
 */
public final class FrameList {
  private final VideoLimits limits;
  private final ImageLoader loader;

  public FrameList(VideoLimits limits, ImageLoader loader) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** {@link #load(List, double, int)} to {@link ImageLoader#DEFAULT_TARGET_LONG_SIDE}. */
  public SampledVideo load(List<byte[]> encodedFrames, double fps) throws VideoRejected {
    return load(encodedFrames, fps, ImageLoader.DEFAULT_TARGET_LONG_SIDE);
  }

  /**
   * Checks the list, then decodes every frame to {@code targetLongSide}.
   *
   * @throws VideoRejected {@link Reason#FPS_OUT_OF_RANGE}, {@link Reason#EMPTY}, {@link
   *     Reason#TOO_FEW_FRAMES}, {@link Reason#TOO_MANY_FRAMES}, or {@link Reason#FRAME_REJECTED}
   *     with the frame's {@link ImageRejected} as cause
   */
  public SampledVideo load(List<byte[]> encodedFrames, double fps, int targetLongSide)
      throws VideoRejected {
    Objects.requireNonNull(encodedFrames, "encodedFrames");
    if (targetLongSide < 1) {
      throw new IllegalArgumentException("targetLongSide must be at least 1, got: " + targetLongSide);
    }
    VideoLimits.checkFps(fps);
    int count = encodedFrames.size();
    checkCount(count);
    List<DecodedImage> frames = new ArrayList<>(count);
    List<Double> seconds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      try {
        frames.add(loader.decode(encodedFrames.get(i), targetLongSide));
      } catch (ImageRejected e) {
        throw new VideoRejected(Reason.FRAME_REJECTED,
            "video frame " + (i + 1) + " of " + count + ": " + e.getMessage(), e);
      }
      seconds.add(i / fps);
    }
    return new SampledVideo(frames, seconds, count / fps, fps, "frames");
  }

  /**
   * Checks only the number of images, so a caller can refuse a list before fetching its frames.
   *
   * @throws VideoRejected {@link Reason#EMPTY}, {@link Reason#TOO_FEW_FRAMES} or {@link
   *     Reason#TOO_MANY_FRAMES}, with the message {@link #load} would give
   */
  public void checkCount(int count) throws VideoRejected {
    if (count == 0) {
      throw new VideoRejected(Reason.EMPTY, "video frame list is empty; at least "
          + limits.minFrames() + " images are required");
    }
    if (count < limits.minFrames()) {
      throw new VideoRejected(Reason.TOO_FEW_FRAMES, "video frame list has " + count
          + " images; at least " + limits.minFrames() + " are required");
    }
    if (count > limits.maxFrames()) {
      throw new VideoRejected(Reason.TOO_MANY_FRAMES, "video frame list has " + count
          + " images; at most " + limits.maxFrames() + " are allowed");
    }
  }
}
