package dev.loupe.image;

import java.awt.image.BufferedImage;

/**
 * A decoder for a format that Loupe's built-in decoder (OpenCV) does not read, such as HEIC.
 *
 * <p>{@link ImageLoader#ImageLoader(ImageLimits)} finds implementations on the class path with
 * {@link java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/dev.loupe.image.FormatDecoder}); without one, a HEIC image is refused with
 * {@code unsupported format: HEIC}. The loader checks size limits on {@link #probe}'s answer before
 * calling {@link #decode}, and resizes what {@code decode} returns, so an implementation only has
 * to read its format. Implementations must be thread-safe.
 */
public interface FormatDecoder {
  /** The format this decoder reads; only formats without a built-in decoder are accepted. */
  ImageFormat format();

  /**
   * Size as displayed and orientation, from the header only; must not decode pixel data.
   *
   * @throws ImageRejected with {@link ImageRejected.Reason#MALFORMED} if the header is unreadable
   */
  ImageInfo probe(byte[] encoded) throws ImageRejected;

  /**
   * Upright pixels (orientation applied). The result may be smaller than the full image, as long
   * as its long side is at least {@code targetLongSide} when the image is that large.
   *
   * @throws ImageRejected with {@link ImageRejected.Reason#MALFORMED} if the data is corrupt
   */
  BufferedImage decode(byte[] encoded, int targetLongSide) throws ImageRejected;
}
