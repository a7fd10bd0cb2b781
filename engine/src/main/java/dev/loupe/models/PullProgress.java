package dev.loupe.models;

/**
 * Where a pull is: the file being downloaded and how much of it is on disk.
 *
 * @param file the file's path in the model, {@code visual/model.onnx}
 * @param fileNumber which file, from 1
 * @param fileCount how many files the model has
 * @param bytes bytes of this file on disk (resumed bytes included)
 * @param size this file's size
 */
public record PullProgress(String file, int fileNumber, int fileCount, long bytes, long size) {}
