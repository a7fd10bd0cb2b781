package dev.loupe.protocol.qwen;

/**
 * The size a Qwen vision model reads an image at: both sides multiples of {@link #factor()}.
 *
 * @param width the resized width w', a positive multiple of {@code factor}
 * @param height the resized height h', a positive multiple of {@code factor}
 * @param factor pixels per token side, 28 or 32
 */
public record ResizedSize(int width, int height, int factor) {
  public ResizedSize {
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be at least 1, got: " + factor);
    }
    if (width < factor || width % factor != 0 || height < factor || height % factor != 0) {
      throw new IllegalArgumentException("width and height must be positive multiples of " + factor + ", got: "
          + width + "x" + height);
    }
  }

  /** Tokens before the vision markers: {@code (h'/f) × (w'/f)}. */
  public int patches() {
    return (height / factor) * (width / factor);
  }

  /** {@code w'×h'}, as the contract's tables write it. */
  @Override
  public String toString() {
    return width + "x" + height;
  }
}
