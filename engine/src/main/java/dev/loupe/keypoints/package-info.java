/**
 * Local features: ORB keypoints found on the working-resolution pixels ({@link
 * dev.loupe.keypoints.KeypointExtractor}) and geometric verification of keypoint matches with
 * RANSAC ({@link dev.loupe.keypoints.GeometricVerifier}), which find copies that global hashes miss
 * (crops, rotations by any angle, perspective, captions and frames) and say how they differ. The
 * keypoints themselves and their visual words are data in {@link dev.loupe.features}; the design
 * and the measurements are in {@code docs/local-features.md}.
 */
package dev.loupe.keypoints;
