package dev.loupe.search;

import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.keypoints.PixelAgreement;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A query image as the searcher sees it.
 *
 * @param signature the query's signature, with its keypoints in {@code signature.local()}
 * @param width the query image's full width in pixels (for the scale of a copy)
 * @param height its full height
 * @param dihedralDescriptors descriptors of the query's rotations and mirrors, used only for
 *     queries too weak to hash ({@link ImageSearcher#wantsDihedralDescriptors}); may be empty
 * @param mirroredKeypoints the keypoints of the mirrored query, asked for only when the upright
 *     keypoints verified nothing (a mirrored crop); may return {@link LocalFeatures#EMPTY}
 * @param pixels the query's working-resolution pixels, for checking keypoint copies against the
 *     pixels ({@link PixelAgreement}); null skips that check
 */
public record SearchQuery(
    ImageSignature signature, int width, int height, List<float[]> dihedralDescriptors,
    Supplier<LocalFeatures> mirroredKeypoints, DecodedImage pixels) {

  public SearchQuery {
    Objects.requireNonNull(signature, "signature");
    dihedralDescriptors = List.copyOf(dihedralDescriptors);
    Objects.requireNonNull(mirroredKeypoints, "mirroredKeypoints");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("dimensions must be positive, got: " + width + "x" + height);
    }
  }

  /** A query with only its signature (no rotated descriptors, no mirrored keypoints). */
  public static SearchQuery of(ImageSignature signature, int width, int height) {
    return new SearchQuery(signature, width, height, List.of(), () -> LocalFeatures.EMPTY, null);
  }
}
