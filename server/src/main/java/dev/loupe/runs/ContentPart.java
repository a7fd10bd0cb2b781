package dev.loupe.runs;

/** A piece of a message: text or an image. */
public sealed interface ContentPart permits TextPart, ImagePart {}
