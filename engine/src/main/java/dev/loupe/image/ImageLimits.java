package dev.loupe.image;

/** Placeholder until the loader lands. */
public record ImageLimits(int minSide, double maxAspectRatio, long maxEncodedBytes, long maxPixels) {
  public static ImageLimits defaults() {
    return new ImageLimits(11, 200, 10L << 20, 100_000_000L);
  }
}
