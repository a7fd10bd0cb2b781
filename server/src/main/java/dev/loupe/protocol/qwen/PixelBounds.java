package dev.loupe.protocol.qwen;

/**
 * The pixel budget of one image after {@link SmartResize}: the resized width × height lies between
 * {@link #minPixels()} and {@link #maxPixels()} (contract section 9, "Pixel bounds").
 *
 * <pre>{@code
 * PixelBounds.of(32, false, null, null);      // 4,096 .. 2,621,440 (4 to 2,560 tokens)
 * PixelBounds.of(32, true, null, null);       // 4,096 .. 16,777,216 (16,384 tokens)
 * PixelBounds.of(28, false, 1_003_520, null); // a part's own max_pixels
 * }</pre>
 *
 * @param factor pixels per token side: 32 for Qwen3-VL-style models, 28 for Qwen2.5-VL-style ones
 * @param minPixels the smallest resized area, at least {@code 4 × factor²}
 * @param maxPixels the largest resized area, at least {@code minPixels}
 */
public record PixelBounds(int factor, long minPixels, long maxPixels) {
  /** Fewest tokens per image: the floor of {@code min_pixels} (section 9). */
  public static final int MIN_TOKENS = 4;
  /** Most tokens per image: the high-resolution cap and the ceiling of a user's {@code max_pixels}. */
  public static final int MAX_TOKENS = 16_384;

  public PixelBounds {
    if (factor != 28 && factor != 32) {
      throw new IllegalArgumentException("factor must be 28 or 32, got: " + factor);
    }
    if (minPixels < (long) MIN_TOKENS * factor * factor) {
      throw new IllegalArgumentException("minPixels must be at least " + (long) MIN_TOKENS * factor * factor
          + ", got: " + minPixels);
    }
    if (maxPixels < minPixels) {
      throw new IllegalArgumentException("maxPixels must be at least minPixels (" + minPixels + "), got: "
          + maxPixels);
    }
  }

  /**
   * The default {@code max_pixels} for a factor: 2,621,440 (2,560 tokens) for 32, 1,003,520 (1,280
   * tokens) for 28. Both are marked "confirm" in section 9; they are the documented examples.
   */
  public static long defaultMaxPixels(int factor) {
    return (factor == 32 ? 2_560L : 1_280L) * factor * factor;
  }

  /**
   * The bounds of one image.
   *
   * @param factor 32 or 28
   * @param highResolution {@code vl_high_resolution_images}: when true the cap is {@code 16,384 ×
   *     factor²} and {@code maxPixels} is ignored, as the seed says
   * @param maxPixels the part's own {@code max_pixels}, or null for the default; clamped to {@code
   *     [minPixels, 16,384 × factor²]}, because the hosted API bounds it the same way rather than
   *     refusing the request
   * @param minPixels the part's own {@code min_pixels}, or null for {@code 4 × factor²}; clamped to
   *     {@code [4 × factor², maxPixels]}
   * @throws IllegalArgumentException if the factor is not 28 or 32
   */
  public static PixelBounds of(int factor, boolean highResolution, Long maxPixels, Long minPixels) {
    if (factor != 28 && factor != 32) {
      throw new IllegalArgumentException("factor must be 28 or 32, got: " + factor);
    }
    long area = (long) factor * factor;
    long floor = MIN_TOKENS * area;
    long ceiling = MAX_TOKENS * area;
    long max = highResolution ? ceiling
        : maxPixels == null ? defaultMaxPixels(factor) : Math.clamp(maxPixels, floor, ceiling);
    long min = minPixels == null ? floor : Math.clamp(minPixels, floor, max);
    return new PixelBounds(factor, min, max);
  }
}
