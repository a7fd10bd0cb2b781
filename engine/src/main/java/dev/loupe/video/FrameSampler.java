package dev.loupe.video;

import dev.loupe.image.ImageLoader;
import dev.loupe.video.VideoRejected.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Takes frames from an untrusted video file at a given rate, the way the hosted service reads a
 * {@code video_url}: one frame every {@code 1 / fps} seconds.
 *
 * <pre>{@code
 * FrameSampler sampler = new FrameSampler(VideoLimits.defaults());
 * SampledVideo video = sampler.sample(mp4Bytes, VideoLimits.DEFAULT_FPS);
 * for (DecodedImage frame : video.frames()) { ... }   // long side at most 512 pixels
 * }</pre>
 *
 * <p><b>Which frames.</b> The sampling times are {@code i / fps} seconds from the first frame, for
 * every {@code i >= 0} with {@code i / fps < duration}: {@code ceil(duration * fps)} times, so a
 * 3-second clip at fps 2 gives 6 frames (0, 0.5, … 2.5 s). Each time takes the decoded frame whose
 * presentation time is nearest (the earlier on a tie). When that count exceeds {@link
 * VideoLimits#maxSampledFrames()}, that many times are spread evenly over the duration instead.
 *
 * <p><b>Checks</b>, each before anything costlier: {@code fps} in range; not empty and at most
 * {@link VideoLimits#maxEncodedBytes()}; a known container by its leading bytes (MP4/MOV, Matroska/
 * WebM, AVI, FLV, WMV); then, from the container header, a video stream with a decodable codec, the
 * frame size against {@link VideoLimits#maxFramePixels()} and the duration against the duration
 * limits. A container without a duration in its header is scanned packet by packet (no decoding)
 * to find it. Only then are frames decoded, and only up to the last sampling time.
 *
 * <p><b>Damaged files.</b> A file FFmpeg cannot parse, or in which no frame decodes, is refused as
 * {@link Reason#MALFORMED}. A file cut short after some good frames is sampled as far as it goes:
 * fewer frames, and {@link SampledVideo#durationSeconds()} is where the last decoded frame ends.
 * Decoding stops with {@link Reason#TIMED_OUT} after {@link VideoLimits#maxDecodeMillis()}.
 *
 * <p><b>Cost.</b> Decoding runs on the calling thread with one FFmpeg thread; every frame up to the
 * last sampling time is decoded (a 10-second 640x360 H.264 clip at 30 fps takes about 60 ms at
 * fps 2; see {@code docs/video.md}). Byte arrays are written to a temporary file first, because
 * FFmpeg's demuxers seek and a file gives them that without a callback per read. Thread-safe and
 * immutable; share one instance.
 */
public final class FrameSampler {
  private final VideoLimits limits;
  private final LongSupplier clock;

  public FrameSampler(VideoLimits limits) {
    this(limits, System::nanoTime);
  }

  /** With another monotonic nanosecond clock for the decoding budget (tests pass one that jumps). */
  FrameSampler(VideoLimits limits, LongSupplier clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public VideoLimits limits() {
    return limits;
  }

  /** {@link #sample(byte[], double, int)} to {@link ImageLoader#DEFAULT_TARGET_LONG_SIDE}. */
  public SampledVideo sample(byte[] encoded, double fps) throws VideoRejected {
    return sample(encoded, fps, ImageLoader.DEFAULT_TARGET_LONG_SIDE);
  }

  /**
   * Samples a video held in memory. See the class doc for the checks and the frames chosen.
   *
   * @param targetLongSide long side of the returned frames, in pixels (never enlarged)
   * @throws VideoRejected if a check fails; the message names the limit and the value
   * @throws UncheckedIOException if the temporary file cannot be written
   */
  public SampledVideo sample(byte[] encoded, double fps, int targetLongSide) throws VideoRejected {
    Objects.requireNonNull(encoded, "encoded");
    checkArguments(fps, targetLongSide);
    checkSize(encoded.length);
    VideoContainer container = detect(encoded, encoded.length);
    Path file = null;
    try {
      file = Files.createTempFile("loupe-video-", ".bin");
      Files.write(file, encoded);
      return sample(file, container, fps, targetLongSide);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write a temporary file for the video", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // Left in the temporary directory; the system's cleanup removes it.
        }
      }
    }
  }

  /**
   * Samples a video file. See the class doc for the checks and the frames chosen.
   *
   * @throws VideoRejected if a check fails; the message names the limit and the value
   * @throws UncheckedIOException if the file cannot be read
   */
  public SampledVideo sample(Path file, double fps, int targetLongSide) throws VideoRejected {
    Objects.requireNonNull(file, "file");
    checkArguments(fps, targetLongSide);
    byte[] head = new byte[VideoContainer.SNIFF_BYTES];
    int length;
    try {
      checkSize(Files.size(file));
      try (InputStream in = Files.newInputStream(file)) {
        length = in.readNBytes(head, 0, head.length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file.getFileName(), e);
    }
    return sample(file, detect(head, length), fps, targetLongSide);
  }

  /**
   * The sampling times, in seconds, for a video of {@code durationSeconds} at {@code fps}: see the
   * class doc.
   */
  static double[] samplingTimes(double durationSeconds, double fps, int maxFrames) {
    // The epsilon keeps 3 s x 2 fps at 6 despite rounding in the container's time base.
    int count = (int) Math.max(1, Math.ceil(durationSeconds * fps - 1e-6));
    double step = 1 / fps;
    if (count > maxFrames) {
      count = maxFrames;
      step = durationSeconds / count;
    }
    double[] times = new double[count];
    for (int i = 0; i < count; i++) {
      times[i] = i * step;
    }
    return times;
  }

  private SampledVideo sample(Path file, VideoContainer container, double fps, int targetLongSide)
      throws VideoRejected {
    long deadline = clock.getAsLong() + limits.maxDecodeMillis() * 1_000_000;
    FfmpegFrameReader reader = new FfmpegFrameReader(limits, deadline, clock);
    try {
      FfmpegFrameReader.Header header = reader.open(file, container);
      double duration = header.durationSeconds();
      if (Double.isNaN(duration)) {
        duration = reader.scanDuration(header);
        reader.close();
        reader = new FfmpegFrameReader(limits, deadline, clock);
        header = reader.open(file, container);
      }
      if (Double.isNaN(duration)) {
        throw new VideoRejected(Reason.MALFORMED, "malformed video: no frame has a timestamp");
      }
      if (duration > limits.maxDurationSeconds()) {
        throw reader.tooLong(duration);
      }
      // Durations are stored in a time base; a clip written as exactly 2 s may read as 1.99996.
      if (duration < limits.minDurationSeconds() - 1e-3) {
        throw new VideoRejected(Reason.TOO_SHORT, "video is " + FfmpegFrameReader.seconds(duration)
            + " seconds long; at least " + VideoLimits.plain(limits.minDurationSeconds())
            + " seconds are required");
      }
      double[] times = samplingTimes(duration, fps, limits.maxSampledFrames());
      FfmpegFrameReader.Sampled sampled = reader.sample(header, times, targetLongSide);
      if (sampled.frames().isEmpty()) {
        throw new VideoRejected(Reason.MALFORMED, "malformed " + header.codec()
            + " video: no frame could be decoded");
      }
      double reported = sampled.frames().size() < times.length
          ? Math.min(duration, sampled.decodedSeconds())
          : duration;
      return new SampledVideo(sampled.frames(), sampled.seconds(), reported, header.fps(),
          header.codec());
    } finally {
      reader.close();
    }
  }

  private static void checkArguments(double fps, int targetLongSide) throws VideoRejected {
    if (targetLongSide < 1) {
      throw new IllegalArgumentException("targetLongSide must be at least 1, got: " + targetLongSide);
    }
    VideoLimits.checkFps(fps);
  }

  private void checkSize(long size) throws VideoRejected {
    if (size == 0) {
      throw new VideoRejected(Reason.EMPTY, "video data is empty");
    }
    if (size > limits.maxEncodedBytes()) {
      throw new VideoRejected(Reason.ENCODED_TOO_LARGE, "video is " + size
          + " bytes; at most " + limits.maxEncodedBytes() + " bytes are allowed");
    }
  }

  private static VideoContainer detect(byte[] head, int length) throws VideoRejected {
    VideoContainer container = VideoContainer.detect(head, length);
    if (container == null) {
      throw new VideoRejected(Reason.UNSUPPORTED_FORMAT,
          "not a supported video: expected MP4, MOV, WebM, MKV, AVI, FLV or WMV");
    }
    return container;
  }
}
