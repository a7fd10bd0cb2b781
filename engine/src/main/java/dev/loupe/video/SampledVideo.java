package dev.loupe.video;

import dev.loupe.image.DecodedImage;
import java.util.List;

/**
 * Frames taken from a video, in time order, with where they came from.
 *
 * <p>Frames are {@link DecodedImage}s like any uploaded image: 8-bit BGR, long side at most the
 * target given to the sampler. {@link DecodedImage#format()} has no value meaning "video frame"
 * yet; frames decoded from a file report {@code PNG} (lossless pixels, which is what they are),
 * frames of a frame list the format of their image.
 *
 * @param frames the sampled frames; a frame may appear twice when {@code fps} exceeds the source's
 *     frame rate, since each sampling time takes its nearest decoded frame
 * @param frameSeconds for each frame, the presentation time of the decoded frame, in seconds from
 *     the first frame (for a frame list, {@code i / fps})
 * @param durationSeconds length of the video; for a frame list, {@code count / fps}
 * @param sourceFps the video's own frame rate as the container declares it, or the request's {@code
 *     fps} for a frame list; {@code 0} when unknown
 * @param codec the decoder's name, for example {@code "h264"}, or {@code "frames"} for a frame list
 */
public record SampledVideo(
    List<DecodedImage> frames,
    List<Double> frameSeconds,
    double durationSeconds,
    double sourceFps,
    String codec) {
  public SampledVideo {
    frames = List.copyOf(frames);
    frameSeconds = List.copyOf(frameSeconds);
    if (frames.size() != frameSeconds.size()) {
      throw new IllegalArgumentException("frames and frameSeconds must have the same size, got: "
          + frames.size() + " and " + frameSeconds.size());
    }
  }
}
