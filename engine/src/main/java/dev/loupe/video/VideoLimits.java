package dev.loupe.video;

import dev.loupe.video.VideoRejected.Reason;
import java.math.BigDecimal;

/**
 * What {@link FrameSampler} and {@link FrameList} accept. Video files are checked against the
 * container header before any frame is decoded; frame lists are counted before any image is.
 *
 * <p>The defaults are the hosted service's published limits for its Qwen2.5-VL and QVQ models (the
 * "video limits" section of its Qwen-VL guide), the tier that also covers qwen-vl-plus. Other tiers
 * of the same table: 4 to 2,000 frames and 2 s to 1 h for qwen3-vl-plus/flash; 2 s to 20 min for
 * the other Qwen3-VL models; 4 to 80 frames and 2 s to 40 s for the rest. Files by URL may be 2 GB,
 * 1 GB or 150 MB depending on the model, Base64 data under 10 MB, local files through the SDK 100
 * MB; the default byte cap here is that last figure, and callers holding a Base64 upload pass a
 * smaller one. The frame-pixel, sampled-frame and time caps are Loupe's own guards.
 *
 * @param minFrames fewest images in a frame list; default {@code 4}
 * @param maxFrames most images in a frame list; default {@code 512}
 * @param minDurationSeconds shortest accepted video file, in seconds; default {@code 2}
 * @param maxDurationSeconds longest accepted video file, in seconds; default {@code 600} (10 min)
 * @param maxEncodedBytes largest accepted video file, in bytes; default {@code 100 MiB}
 * @param maxFramePixels largest accepted frame, width × height; default {@code 7680 × 4320} (8K)
 * @param maxSampledFrames most frames {@link FrameSampler} returns; when {@code duration × fps} is
 *     more, it samples this many evenly instead, as the hosted service does with {@code
 *     max_frames}; default {@code 768}, the open-source {@code qwen-vl-utils} frame cap
 * @param maxDecodeMillis wall-clock budget for decoding one video, in milliseconds; default {@code
 *     60_000}
 */
public record VideoLimits(
    int minFrames,
    int maxFrames,
    double minDurationSeconds,
    double maxDurationSeconds,
    long maxEncodedBytes,
    long maxFramePixels,
    int maxSampledFrames,
    long maxDecodeMillis) {
  /** Smallest {@code fps} a request may ask for. */
  public static final double MIN_FPS = 0.1;
  /** Largest {@code fps} a request may ask for. */
  public static final double MAX_FPS = 10;
  /** {@code fps} when a request gives none: one frame every half second. */
  public static final double DEFAULT_FPS = 2;

  /** Default {@link #minFrames()}. */
  public static final int DEFAULT_MIN_FRAMES = 4;
  /** Default {@link #maxFrames()}. */
  public static final int DEFAULT_MAX_FRAMES = 512;
  /** Default {@link #minDurationSeconds()}. */
  public static final double DEFAULT_MIN_DURATION_SECONDS = 2;
  /** Default {@link #maxDurationSeconds()}: 10 minutes. */
  public static final double DEFAULT_MAX_DURATION_SECONDS = 600;
  /** Default {@link #maxEncodedBytes()}: 100 MiB. */
  public static final long DEFAULT_MAX_ENCODED_BYTES = 100L << 20;
  /** Default {@link #maxFramePixels()}: 8K UHD. */
  public static final long DEFAULT_MAX_FRAME_PIXELS = 7680L * 4320;
  /** Default {@link #maxSampledFrames()}. */
  public static final int DEFAULT_MAX_SAMPLED_FRAMES = 768;
  /** Default {@link #maxDecodeMillis()}. */
  public static final long DEFAULT_MAX_DECODE_MILLIS = 60_000;

  public VideoLimits {
    if (minFrames < 1) {
      throw new IllegalArgumentException("minFrames must be at least 1, got: " + minFrames);
    }
    if (maxFrames < minFrames) {
      throw new IllegalArgumentException(
          "maxFrames must be at least minFrames (" + minFrames + "), got: " + maxFrames);
    }
    if (!(minDurationSeconds >= 0) || Double.isInfinite(minDurationSeconds)) {
      throw new IllegalArgumentException(
          "minDurationSeconds must be a finite number of at least 0, got: " + minDurationSeconds);
    }
    if (!(maxDurationSeconds > 0) || maxDurationSeconds < minDurationSeconds
        || Double.isInfinite(maxDurationSeconds)) {
      throw new IllegalArgumentException("maxDurationSeconds must be finite, positive and at least"
          + " minDurationSeconds (" + minDurationSeconds + "), got: " + maxDurationSeconds);
    }
    if (maxEncodedBytes < 1) {
      throw new IllegalArgumentException("maxEncodedBytes must be at least 1, got: " + maxEncodedBytes);
    }
    if (maxFramePixels < 1) {
      throw new IllegalArgumentException("maxFramePixels must be at least 1, got: " + maxFramePixels);
    }
    if (maxSampledFrames < 1) {
      throw new IllegalArgumentException(
          "maxSampledFrames must be at least 1, got: " + maxSampledFrames);
    }
    if (maxDecodeMillis < 1) {
      throw new IllegalArgumentException("maxDecodeMillis must be at least 1, got: " + maxDecodeMillis);
    }
  }

  /** The defaults listed on each component. */
  public static VideoLimits defaults() {
    return new VideoLimits(DEFAULT_MIN_FRAMES, DEFAULT_MAX_FRAMES, DEFAULT_MIN_DURATION_SECONDS,
        DEFAULT_MAX_DURATION_SECONDS, DEFAULT_MAX_ENCODED_BYTES, DEFAULT_MAX_FRAME_PIXELS,
        DEFAULT_MAX_SAMPLED_FRAMES, DEFAULT_MAX_DECODE_MILLIS);
  }

  /** These limits with another frame-count range, for example {@code 4, 2000} for qwen3-vl-plus. */
  public VideoLimits withFrames(int minFrames, int maxFrames) {
    return new VideoLimits(minFrames, maxFrames, minDurationSeconds, maxDurationSeconds,
        maxEncodedBytes, maxFramePixels, maxSampledFrames, maxDecodeMillis);
  }

  /** These limits with another duration range, in seconds. */
  public VideoLimits withDuration(double minSeconds, double maxSeconds) {
    return new VideoLimits(minFrames, maxFrames, minSeconds, maxSeconds, maxEncodedBytes,
        maxFramePixels, maxSampledFrames, maxDecodeMillis);
  }

  /** These limits with another byte cap, for example {@code 10 << 20} for a Base64 upload. */
  public VideoLimits withMaxEncodedBytes(long bytes) {
    return new VideoLimits(minFrames, maxFrames, minDurationSeconds, maxDurationSeconds, bytes,
        maxFramePixels, maxSampledFrames, maxDecodeMillis);
  }

  /** These limits with another decoding time budget. */
  public VideoLimits withMaxDecodeMillis(long millis) {
    return new VideoLimits(minFrames, maxFrames, minDurationSeconds, maxDurationSeconds,
        maxEncodedBytes, maxFramePixels, maxSampledFrames, millis);
  }

  /**
   * Checks a request's {@code fps}: one frame every {@code 1 / fps} seconds, in [{@value #MIN_FPS},
   * {@value #MAX_FPS}]. NaN and infinities are out of range.
   *
   * @return {@code fps}
   * @throws VideoRejected with {@link Reason#FPS_OUT_OF_RANGE}
   */
  public static double checkFps(double fps) throws VideoRejected {
    if (!(fps >= MIN_FPS && fps <= MAX_FPS)) {
      throw new VideoRejected(Reason.FPS_OUT_OF_RANGE, "fps is " + plain(fps) + "; it must be between "
          + plain(MIN_FPS) + " and " + plain(MAX_FPS));
    }
    return fps;
  }

  /** A number as people write it: {@code 2}, {@code 0.1}, {@code 600}. */
  static String plain(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
