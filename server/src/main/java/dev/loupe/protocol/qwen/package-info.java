/**
 * How Qwen vision models see an image, without HTTP or pixels: {@link
 * dev.loupe.protocol.qwen.PixelBounds} (the per-image pixel budget), {@link
 * dev.loupe.protocol.qwen.SmartResize} (the size the model reads an image at) and {@link
 * dev.loupe.protocol.qwen.ImageTokens} (what that costs), all per contract section 9.
 */
package dev.loupe.protocol.qwen;
