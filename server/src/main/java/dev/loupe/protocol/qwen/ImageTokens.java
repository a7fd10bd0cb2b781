package dev.loupe.protocol.qwen;

/**
 * What one image costs a Qwen vision model: {@code (h'/f) × (w'/f) + 2} tokens, the {@code + 2}
 * being the vision start and end markers (contract section 9). The hosted API calls the formula an
 * estimate; Loupe reports it as {@code usage.prompt_tokens_details.image_tokens} and includes it in
 * the prompt tokens.
 *
 * <pre>{@code
 * ImageTokens.of(788, 450, PixelBounds.of(32, false, null, null)); // 352
 * }</pre>
 */
public final class ImageTokens {
  /** The vision start and end markers around every image. */
  public static final int MARKERS = 2;

  private ImageTokens() {}

  /** The tokens of an image already resized. */
  public static int of(ResizedSize size) {
    return size.patches() + MARKERS;
  }

  /** The tokens of a {@code width × height} image; throws as {@link SmartResize#resize}. */
  public static int of(int width, int height, PixelBounds bounds) {
    return of(SmartResize.resize(width, height, bounds));
  }
}
