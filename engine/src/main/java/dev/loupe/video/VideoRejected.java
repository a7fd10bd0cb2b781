package dev.loupe.video;

import java.util.Objects;

/**
 * The video, frame list or sampling rate is not one Loupe accepts. The message is meant for the
 * person who sent it and names the limit and the value, for example {@code video is 1.0 seconds
 * long; at least 2 seconds are required}. {@link #reason()} is for code (mapping to HTTP statuses,
 * counting). A frame list refused for one of its images carries the {@link
 * dev.loupe.image.ImageRejected} as its cause.
 */
public final class VideoRejected extends Exception {
  /** Why a video was refused. */
  public enum Reason {
    /** Zero bytes, or an empty frame list. */
    EMPTY,
    /** More encoded bytes than {@link VideoLimits#maxEncodedBytes()}. */
    ENCODED_TOO_LARGE,
    /** Not a video, or a container or codec Loupe does not decode. */
    UNSUPPORTED_FORMAT,
    /** A recognised container whose bytes are truncated or corrupt so that no frame decodes. */
    MALFORMED,
    /** Shorter than {@link VideoLimits#minDurationSeconds()}. */
    TOO_SHORT,
    /** Longer than {@link VideoLimits#maxDurationSeconds()}. */
    TOO_LONG,
    /** A frame larger than {@link VideoLimits#maxFramePixels()}. */
    TOO_MANY_PIXELS,
    /** A frame list with fewer than {@link VideoLimits#minFrames()} images. */
    TOO_FEW_FRAMES,
    /** A frame list with more than {@link VideoLimits#maxFrames()} images. */
    TOO_MANY_FRAMES,
    /** One image of a frame list was refused; the cause is its {@code ImageRejected}. */
    FRAME_REJECTED,
    /** {@code fps} outside [{@link VideoLimits#MIN_FPS}, {@link VideoLimits#MAX_FPS}]. */
    FPS_OUT_OF_RANGE,
    /** Decoding took longer than {@link VideoLimits#maxDecodeMillis()}. */
    TIMED_OUT
  }

  private final Reason reason;

  public VideoRejected(Reason reason, String message) {
    this(reason, message, null);
  }

  public VideoRejected(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
