/**
 * Signatures of decoded pixels: an exact-match pixel key, a 256-bit perceptual hash with a
 * quality score and its eight dihedral variants for copy detection, a global descriptor that
 * ranks copies, and the likeness descriptor ({@link dev.loupe.features.LikenessDescriptor}: scene,
 * colour and photo/graphic measures) for the similar tier. Start at {@link dev.loupe.features.FeatureExtractor}; the
 * design and the measured distances are in {@code docs/features.md}.
 */
package dev.loupe.features;
