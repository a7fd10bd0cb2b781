package dev.loupe.ingest;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.ImageSignature;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.ImageMetadata;
import java.util.Objects;

/**
 * Encoded bytes to everything the index stores about the pixels: validates and decodes at the
 * working resolution, extracts the signature, and encodes the thumbnail. Used for ingest and for
 * queries alike so that both sides see an image the same way. Thread-safe.
 */
public final class ImageAnalyzer {
  /** Long side, in pixels, at which images are decoded for signatures. */
  public static final int WORKING_SIZE = 512;

  private final ImageLoader loader;
  private final FeatureExtractor extractor;

  public ImageAnalyzer(ImageLoader loader, FeatureExtractor extractor) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.extractor = Objects.requireNonNull(extractor, "extractor");
  }

  /** The result of analysing one image. */
  public record Analysis(ImageSignature signature, DecodedImage image, FeatureExtractor extractor) {
    /** Metadata for the index, with a freshly encoded thumbnail. */
    public ImageMetadata metadata() {
      return new ImageMetadata(image.format().wireName(), image.width(), image.height(), Thumbnails.encode(image));
    }

    /** The descriptors of the image's rotations and mirrors (computed on each call, about 2 ms). */
    public java.util.List<float[]> dihedralDescriptors() {
      return extractor.dihedralDescriptors(image);
    }
  }

  /** Decodes and signs {@code encoded}; throws with the loader's precise message when refused. */
  public Analysis analyze(byte[] encoded) throws ImageRejected {
    DecodedImage image = loader.decode(encoded, WORKING_SIZE);
    return new Analysis(extractor.extract(image), image, extractor);
  }
}
