package dev.loupe.models;

import java.nio.file.Path;

/**
 * A model directory that {@link ModelStore#verify(Path)} checked and opened.
 *
 * @param dir the directory
 * @param dimension the vector size
 * @param understandsText whether it has a text tower
 * @param checkedFiles how many files matched the SHA-256 recorded at pull; 0 without a manifest
 * @param hasManifest whether the directory has the manifest a pull writes
 */
public record VerifiedModel(Path dir, int dimension, boolean understandsText, int checkedFiles, boolean hasManifest) {}
