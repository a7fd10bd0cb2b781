package dev.loupe.protocol.completion;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.image.DecodedImage;
import dev.loupe.protocol.qwen.ImageTokens;
import dev.loupe.protocol.qwen.PixelBounds;
import dev.loupe.protocol.qwen.ResizedSize;
import dev.loupe.protocol.qwen.SmartResize;
import dev.loupe.protocol.ApiException;
import dev.loupe.tools.ImageErrorCodes;
import dev.loupe.video.FrameList;
import dev.loupe.video.FrameSampler;
import dev.loupe.video.SampledVideo;
import dev.loupe.video.VideoRejected;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One request video, read, checked and sampled before any model sees it (contract 6.1, 8.4), as
 * the frames an upstream receives and what they cost. Immutable.
 *
 * <p>A frame list is counted first ({@link FrameList#checkCount}), so a 3-frame list is refused
 * without fetching anything; then each frame is read like an {@code image_url} and the list is
 * decoded by {@link FrameList}. A file is read with {@link ImageFetcher#readVideo} (its byte cap
 * applies) and sampled by {@link FrameSampler} at the part's {@code fps}: a 3-second clip at fps 2
 * gives 6 frames. Frames are decoded with their long side at most 512 pixels (the engine's default,
 * near the open-source {@code qwen-vl-utils} cap of 768 tokens per video frame), then each is
 * smart-resized with the route's patch factor and default bounds and re-encoded as a JPEG data URL.
 * Every frame costs {@code (h'/f)·(w'/f) + 2} tokens, as an image would.
 */
final class PreparedVideo {
  private final ChatVideo source;
  private final List<String> frameUrls;
  private final int tokens;

  private PreparedVideo(ChatVideo source, List<String> frameUrls, int tokens) {
    this.source = source;
    this.frameUrls = List.copyOf(frameUrls);
    this.tokens = tokens;
  }

  /**
   * Reads and samples one video part.
   *
   * @param factor the route's patch factor, 32 or 28
   * @throws ApiException 400: {@code invalid_video} with the sampler's or frame list's message (it names
   *     the limit and the value), or an image code for a frame of a list that cannot be read
   */
  static PreparedVideo read(ChatVideo video, ImageFetcher fetcher, FrameList frameList, FrameSampler sampler,
      int factor) throws ApiException {
    SampledVideo sampled;
    try {
      if (video.frames() != null) {
        frameList.checkCount(video.frames().size());
        List<byte[]> frames = new ArrayList<>();
        for (int k = 0; k < video.frames().size(); k++) {
          String url = video.frames().get(k);
          try {
            frames.add(fetcher.read(RemoteImage.parse(url)).bytes());
          } catch (FetchException e) {
            throw ApiException.invalid(video.param() + "[" + k + "]",
                ImageErrorCodes.of(e.reason(), url.regionMatches(true, 0, "data:", 0, 5)), e.getMessage());
          }
        }
        sampled = frameList.load(frames, video.fps());
      } else {
        byte[] bytes;
        try {
          bytes = fetcher.readVideo(RemoteImage.parse(video.url())).bytes();
        } catch (FetchException e) {
          throw ApiException.invalid(video.param(), "invalid_video", e.getMessage());
        }
        sampled = sampler.sample(bytes, video.fps());
      }
    } catch (VideoRejected e) {
      throw ApiException.invalid(video.param(), "invalid_video", e.getMessage());
    }
    PixelBounds bounds = PixelBounds.of(factor, false, null, null);
    List<String> urls = new ArrayList<>();
    int tokens = 0;
    for (DecodedImage frame : sampled.frames()) {
      ResizedSize size;
      try {
        size = SmartResize.resize(frame.pixelWidth(), frame.pixelHeight(), bounds);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(video.param(), "invalid_video", "video frame: " + e.getMessage());
      }
      urls.add(jpegDataUrl(frame.toBufferedImage(), size));
      tokens += ImageTokens.of(size);
    }
    return new PreparedVideo(video, urls, tokens);
  }

  ChatVideo source() {
    return source;
  }

  /** The frames as JPEG data URLs at their smart-resized size, in time order. */
  List<String> frameUrls() {
    return frameUrls;
  }

  /** The sum over frames of {@code (h'/f)·(w'/f) + 2}. */
  int tokens() {
    return tokens;
  }

  /**
   * The text part that precedes the frames: OpenAI-compatible servers differ in whether and how
   * they take video, so an upstream gets plain images and is told what they are.
   */
  String note() {
    return "The following " + frameUrls.size() + " images are frames of one video sampled at "
        + BigDecimal.valueOf(source.fps()).stripTrailingZeros().toPlainString() + " fps.";
  }

  /** {@link #note()} then one {@code image_url} part per frame, as an upstream receives them. */
  List<ObjectNode> chatParts() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    List<ObjectNode> parts = new ArrayList<>();
    parts.add(nodes.objectNode().put("type", "text").put("text", note()));
    for (String url : frameUrls) {
      ObjectNode part = nodes.objectNode().put("type", "image_url");
      part.putObject("image_url").put("url", url);
      parts.add(part);
    }
    return parts;
  }

  private static String jpegDataUrl(BufferedImage pixels, ResizedSize size) {
    BufferedImage target = pixels;
    if (pixels.getWidth() != size.width() || pixels.getHeight() != size.height()) {
      target = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_3BYTE_BGR);
      var g = target.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(pixels, 0, 0, size.width(), size.height(), null);
      } finally {
        g.dispose();
      }
    }
    return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(PreparedImage.encode(target, false));
  }
}
