package dev.loupe.protocol.completion;

import java.util.List;
import java.util.Objects;

/**
 * One video part of a request (contract 6.1): a {@code video} part's frame list or a {@code
 * video_url} part's file, where it sits and its {@code fps}.
 *
 * @param message the index in {@code messages}
 * @param part the index in that message's {@code content}
 * @param frames the frame URLs of a {@code video} part, or null for a file
 * @param url the http(s) or data URL of a {@code video_url} part, or null for a frame list
 * @param fps the part's {@code fps}, or {@link dev.loupe.video.VideoLimits#DEFAULT_FPS}
 */
public record ChatVideo(int message, int part, List<String> frames, String url, double fps) {
  public ChatVideo {
    if ((frames == null) == (url == null)) {
      throw new IllegalArgumentException("exactly one of frames and url must be given");
    }
    frames = frames == null ? null : List.copyOf(frames);
  }

  /** The request field, for error envelopes: {@code messages[0].content[1].video}. */
  public String param() {
    return "messages[" + message + "].content[" + part + "]." + (frames != null ? "video" : "video_url");
  }
}
