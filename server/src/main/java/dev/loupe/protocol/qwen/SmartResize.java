package dev.loupe.protocol.qwen;

/**
 * Qwen's {@code smart_resize}: the size, in multiples of the patch factor, at which a Qwen vision
 * model reads an image, keeping the aspect ratio and the area within {@link PixelBounds} (contract
 * section 9; {@code qwen-vl-utils/src/qwen_vl_utils/vision_process.py} is the reference).
 *
 * <pre>{@code
 * ResizedSize s = SmartResize.resize(788, 450, PixelBounds.of(32, false, null, null)); // 800x448
 * int tokens = ImageTokens.of(s);                                                       // 352
 * }</pre>
 *
 * <p>Pure arithmetic, no pixels; thread-safe.
 */
public final class SmartResize {
  /** The largest accepted long side / short side (contract 8.3). */
  public static final int MAX_ASPECT_RATIO = 200;

  private SmartResize() {}

  /**
   * The resized size of a {@code width × height} image.
   *
   * @throws IllegalArgumentException if a side is below 1, or the aspect ratio is over 200 (the
   *     caller maps it to {@code invalid_image}, contract 8.3)
   */
  public static ResizedSize resize(int width, int height, PixelBounds bounds) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("width and height must be at least 1, got: " + width + "x" + height);
    }
    if (Math.max(width, height) > (long) MAX_ASPECT_RATIO * Math.min(width, height)) {
      throw new IllegalArgumentException("image aspect ratio must be at most " + MAX_ASPECT_RATIO + ":1, got: "
          + width + "x" + height);
    }
    int f = bounds.factor();
    // Step 2: Python's round() rounds halves to even, which Math.rint reproduces and Math.round does not.
    long h = Math.max(f, (long) Math.rint((double) height / f) * f);
    long w = Math.max(f, (long) Math.rint((double) width / f) * f);
    double area = (double) width * height;
    if (h * w > bounds.maxPixels()) {
      double beta = Math.sqrt(area / bounds.maxPixels());
      // Step 3, then clamped to one patch so that an extreme strip keeps a side (section 9 [R]).
      h = Math.max(f, (long) Math.floor(height / beta / f) * f);
      w = Math.max(f, (long) Math.floor(width / beta / f) * f);
    } else if (h * w < bounds.minPixels()) {
      double beta = Math.sqrt(bounds.minPixels() / area);
      h = (long) Math.ceil(height * beta / f) * f;
      w = (long) Math.ceil(width * beta / f) * f;
    }
    return new ResizedSize(Math.toIntExact(w), Math.toIntExact(h), f);
  }
}
