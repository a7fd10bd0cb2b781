package dev.loupe.features;

import dev.loupe.image.DecodedImage;

/** Computes an {@link ImageSignature} from decoded pixels. Thread-safe. */
public final class FeatureExtractor {
  /** Length of {@link ImageSignature#descriptor()}. */
  public static final int DESCRIPTOR_DIMENSIONS = 128;
  /** Hashes of lower quality never produce copy matches. */
  public static final int MIN_COPY_QUALITY = 20;

  public ImageSignature extract(DecodedImage image) {
    throw new UnsupportedOperationException("not written yet");
  }
}
