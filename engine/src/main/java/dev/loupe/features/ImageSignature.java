package dev.loupe.features;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything Loupe indexes about one image's pixels.
 *
 * @param pixelKey hex SHA-256 over the decoded pixels and full dimensions: equal keys mean the same
 *     image (see {@link FeatureExtractor} for what "same pixels" means precisely)
 * @param hash the 256-bit perceptual hash of the upright image, borders trimmed
 * @param quality 0 (blank, carries no information) to 100 (firmly set bits); hashes below
 *     {@link FeatureExtractor#MIN_COPY_QUALITY} never produce copy matches
 * @param dihedral the hashes the image would have after each of the 8 dihedral transforms, in
 *     {@link DihedralTransform} order: identity (equal to {@code hash}), rotations by 90, 180 and
 *     270 degrees clockwise, mirror left-right, mirror top-bottom, transpose, anti-transpose. A
 *     query compares each of them with stored {@code hash}es to find rotated and mirrored copies
 * @param descriptor the global "looks like" descriptor, L2-normalised,
 *     {@link FeatureExtractor#DESCRIPTOR_DIMENSIONS} floats
 * @param local the image's keypoints for copy detection under crops, rotations and overlays;
 *     {@link LocalFeatures#EMPTY} when not computed
 * @param likeness the {@link LikenessDescriptor} of the image for the {@code similar} tier,
 *     {@link LikenessDescriptor#DIMENSIONS} floats of unit length; empty when not computed (images
 *     indexed before it existed)
 */
public record ImageSignature(
    String pixelKey, Hash256 hash, int quality, List<Hash256> dihedral, float[] descriptor, LocalFeatures local,
    float[] likeness) {

  /** A signature without a likeness descriptor. */
  public ImageSignature(
      String pixelKey, Hash256 hash, int quality, List<Hash256> dihedral, float[] descriptor, LocalFeatures local) {
    this(pixelKey, hash, quality, dihedral, descriptor, local, new float[0]);
  }

  /** A signature without keypoints. */
  public ImageSignature(String pixelKey, Hash256 hash, int quality, List<Hash256> dihedral, float[] descriptor) {
    this(pixelKey, hash, quality, dihedral, descriptor, LocalFeatures.EMPTY);
  }

  public ImageSignature {
    Objects.requireNonNull(pixelKey, "pixelKey");
    Objects.requireNonNull(hash, "hash");
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be in 0..100, got: " + quality);
    }
    dihedral = List.copyOf(dihedral);
    descriptor = descriptor.clone();
    Objects.requireNonNull(local, "local");
    likeness = likeness.clone();
  }

  /** This signature with {@code keypoints} as its local features. */
  public ImageSignature withLocal(LocalFeatures keypoints) {
    return new ImageSignature(pixelKey, hash, quality, dihedral, descriptor, keypoints, likeness);
  }

  /** This signature with {@code vector} as its likeness descriptor. */
  public ImageSignature withLikeness(float[] vector) {
    return new ImageSignature(pixelKey, hash, quality, dihedral, descriptor, local, vector);
  }

  @Override
  public float[] descriptor() {
    return descriptor.clone();
  }

  @Override
  public float[] likeness() {
    return likeness.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageSignature s
        && pixelKey.equals(s.pixelKey)
        && hash.equals(s.hash)
        && quality == s.quality
        && dihedral.equals(s.dihedral)
        && Arrays.equals(descriptor, s.descriptor)
        && Arrays.equals(likeness, s.likeness)
        && local.size() == s.local.size()
        && Arrays.equals(local.descriptors(), s.local.descriptors());
  }

  @Override
  public int hashCode() {
    return Objects.hash(pixelKey, hash, quality, dihedral, Arrays.hashCode(descriptor), local.size());
  }
}
