package dev.loupe.models;

import java.nio.file.Path;

/**
 * A model directory under the models directory, as {@code loupe models list} shows it.
 *
 * @param name the directory's name
 * @param dir the directory
 * @param repository where it was pulled from ({@code owner/name@revision}), or {@code null} when it
 *     has no pull manifest (copied there by hand)
 * @param state {@code "complete"} when every file of its manifest is there with the recorded size,
 *     else what is wrong ({@code "visual/model.onnx is missing"}); sizes only, {@link
 *     ModelStore#verify(Path)} recomputes checksums
 */
public record InstalledModel(String name, Path dir, String repository, String state) {}
