/**
 * Encoded image bytes to validated, upright, decoded pixels. {@link dev.loupe.image.ImageLoader}
 * checks size, format, completeness and dimensions from the header before it decodes anything, so
 * hostile uploads cost little; {@link dev.loupe.image.ImageLimits} holds the limits and {@link
 * dev.loupe.image.ImageRejected} says which one an image broke.
 */
package dev.loupe.image;
