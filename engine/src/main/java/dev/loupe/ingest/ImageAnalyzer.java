package dev.loupe.ingest;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.LikenessDescriptor;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.ImageMetadata;
import dev.loupe.keypoints.KeypointExtractor;
import java.util.List;
import java.util.Objects;

/**
 * Encoded bytes to everything the index stores about the pixels: validates and decodes at the
 * working resolution, extracts the signature and the keypoints, and encodes the thumbnail. Used for
 * ingest and for queries alike so that both sides see an image the same way (queries keep more
 * keypoints, {@link KeypointExtractor#QUERY_KEYPOINTS}). Thread-safe.
 */
public final class ImageAnalyzer {
  /** Long side, in pixels, at which images are decoded for signatures. */
  public static final int WORKING_SIZE = 512;

  private final ImageLoader loader;
  private final FeatureExtractor extractor;
  private final KeypointExtractor keypoints;
  private final boolean useKeypoints;
  private final LikenessDescriptor likeness = new LikenessDescriptor();

  /**
   * @param useKeypoints whether to find keypoints (copy detection under crops, rotations and
   *     overlays); off saves about 5 ms and 16 KB of index per image
   */
  public ImageAnalyzer(ImageLoader loader, FeatureExtractor extractor, boolean useKeypoints) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.extractor = Objects.requireNonNull(extractor, "extractor");
    this.keypoints = new KeypointExtractor();
    this.useKeypoints = useKeypoints;
  }

  public ImageAnalyzer(ImageLoader loader, FeatureExtractor extractor) {
    this(loader, extractor, true);
  }

  /** Whether images get keypoints. */
  public boolean usesKeypoints() {
    return useKeypoints;
  }

  /** The result of analysing one image. */
  public record Analysis(ImageSignature signature, DecodedImage image, ImageAnalyzer analyzer) {
    /** Metadata for the index, with a freshly encoded thumbnail. */
    public ImageMetadata metadata() {
      return new ImageMetadata(image.format().wireName(), image.width(), image.height(), Thumbnails.encode(image));
    }

    /** The descriptors of the image's rotations and mirrors (computed on each call, about 2 ms). */
    public List<float[]> dihedralDescriptors() {
      return analyzer.extractor.dihedralDescriptors(image);
    }

    /**
     * The keypoints of the image mirrored left to right, for finding mirrored crops (computed on
     * each call, about 5 ms); empty when keypoints are off.
     */
    public LocalFeatures mirroredKeypoints() {
      return analyzer.useKeypoints
          ? analyzer.keypoints.extractMirrored(image, KeypointExtractor.QUERY_KEYPOINTS) : LocalFeatures.EMPTY;
    }
  }

  /** Decodes and signs {@code encoded} for the index; throws with the loader's precise message when refused. */
  public Analysis analyze(byte[] encoded) throws ImageRejected {
    return analyze(encoded, KeypointExtractor.INDEX_KEYPOINTS);
  }

  /** As {@link #analyze}, keeping the larger keypoint budget of a query. */
  public Analysis analyzeQuery(byte[] encoded) throws ImageRejected {
    return analyze(encoded, KeypointExtractor.QUERY_KEYPOINTS);
  }

  private Analysis analyze(byte[] encoded, int maxKeypoints) throws ImageRejected {
    DecodedImage image = loader.decode(encoded, WORKING_SIZE);
    ImageSignature signature = extractor.extract(image).withLikeness(likeness.compute(image));
    if (useKeypoints) {
      signature = signature.withLocal(keypoints.extract(image, maxKeypoints));
    }
    return new Analysis(signature, image, this);
  }
}
