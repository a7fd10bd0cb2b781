package dev.loupe.protocol.qwen;

import dev.loupe.image.ImageFormat;
import dev.loupe.image.ImageInfo;
import java.util.Optional;

/**
 * The image limits every endpoint applies before a model sees an image (contract 8.3), beyond the
 * engine's own decode limits, so that the Responses, Chat Completions and DashScope endpoints refuse
 * the same images with the same code and message.
 */
public final class VisionInput {
  /** Contract 8.3 [R]: images over 8K (7680×4320) are refused rather than sent slowly. */
  public static final long MAX_PIXELS = 7680L * 4320;
  /** Contract 8.3: above 4K (3840×2160) only JPEG and PNG are accepted. */
  public static final long MAX_PIXELS_ANY_FORMAT = 3840L * 2160;

  /** Why an image is refused: the contract's error code and a message naming the limit. */
  public record Refusal(String code, String message) {}

  private VisionInput() {}

  /** The refusal of an image with this header, or empty when it is within the limits. */
  public static Optional<Refusal> refusal(ImageInfo info) {
    if (info.pixels() > MAX_PIXELS) {
      return Optional.of(new Refusal("image_too_large", "image is " + info.width() + "x" + info.height()
          + " (" + info.pixels() + " pixels); at most 8K (7680x4320, " + MAX_PIXELS + " pixels) is allowed"));
    }
    if (info.pixels() > MAX_PIXELS_ANY_FORMAT && info.format() != ImageFormat.JPEG
        && info.format() != ImageFormat.PNG) {
      return Optional.of(new Refusal("unsupported_image_media_type", "image is " + info.width() + "x"
          + info.height() + " " + info.format().wireName() + "; above 4K (3840x2160, " + MAX_PIXELS_ANY_FORMAT
          + " pixels) only jpeg and png are accepted"));
    }
    return Optional.empty();
  }
}
