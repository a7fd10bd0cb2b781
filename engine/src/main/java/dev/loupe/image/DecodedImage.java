package dev.loupe.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Objects;

/**
 * Decoded, upright pixels of one image at Loupe's working resolution.
 *
 * <p>{@link #width()} and {@link #height()} are the dimensions of the full image after EXIF
 * orientation is applied, as a user would see it; the pixel buffer may be smaller because
 * decoders reduce large images while decoding (JPEG DCT scaling). Pixels are 8-bit, interleaved
 * blue-green-red, row by row, with no padding: the layout of both OpenCV's {@code CV_8UC3} and
 * Java2D's {@code TYPE_3BYTE_BGR}.
 *
 * <p>Instances are immutable by contract: {@link #bgr()} returns the shared buffer without a copy
 * because copying megabytes per access would dominate feature extraction; callers must not write to
 * it.
 */
public final class DecodedImage {
  private final ImageFormat format;
  private final int width;
  private final int height;
  private final int pixelWidth;
  private final int pixelHeight;
  private final byte[] bgr;

  /**
   * @param format the encoded format the pixels came from
   * @param width full width after orientation, in pixels
   * @param height full height after orientation, in pixels
   * @param pixelWidth width of the pixel buffer
   * @param pixelHeight height of the pixel buffer
   * @param bgr {@code pixelWidth * pixelHeight * 3} bytes; owned by this instance from now on
   */
  public DecodedImage(
      ImageFormat format, int width, int height, int pixelWidth, int pixelHeight, byte[] bgr) {
    this.format = Objects.requireNonNull(format, "format");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("dimensions must be positive, got: " + width + "x" + height);
    }
    if (pixelWidth < 1 || pixelHeight < 1) {
      throw new IllegalArgumentException(
          "pixel dimensions must be positive, got: " + pixelWidth + "x" + pixelHeight);
    }
    if (bgr.length != (long) pixelWidth * pixelHeight * 3) {
      throw new IllegalArgumentException(
          "bgr must hold " + ((long) pixelWidth * pixelHeight * 3) + " bytes, got: " + bgr.length);
    }
    this.width = width;
    this.height = height;
    this.pixelWidth = pixelWidth;
    this.pixelHeight = pixelHeight;
    this.bgr = bgr;
  }

  /** Wraps a Java2D image (any type) as a decoded image at its own size; copies the pixels. */
  public static DecodedImage of(ImageFormat format, BufferedImage image) {
    BufferedImage bgrImage = image;
    // A sub-image shares its parent's larger buffer: copy it through a fresh image like any other type.
    boolean ownBuffer = image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && ((DataBufferByte) image.getRaster().getDataBuffer()).getData().length == image.getWidth() * image.getHeight() * 3
        && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0;
    if (!ownBuffer) {
      bgrImage = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
      var g = bgrImage.createGraphics();
      try {
        g.drawImage(image, 0, 0, null);
      } finally {
        g.dispose();
      }
    }
    byte[] data = ((DataBufferByte) bgrImage.getRaster().getDataBuffer()).getData();
    byte[] copy = bgrImage == image ? data.clone() : data;
    return new DecodedImage(format, image.getWidth(), image.getHeight(), image.getWidth(), image.getHeight(), copy);
  }

  public ImageFormat format() {
    return format;
  }

  /** Full width after orientation. */
  public int width() {
    return width;
  }

  /** Full height after orientation. */
  public int height() {
    return height;
  }

  public int pixelWidth() {
    return pixelWidth;
  }

  public int pixelHeight() {
    return pixelHeight;
  }

  /** The shared pixel buffer, see the class doc; do not modify. */
  public byte[] bgr() {
    return bgr;
  }

  /** A Java2D view of the pixel buffer, sharing it (no copy); do not draw into it. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(pixelWidth, pixelHeight, BufferedImage.TYPE_3BYTE_BGR);
    byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(bgr, 0, target, 0, bgr.length);
    return image;
  }

  /**
   * The box {@code x, y, w, h} of the pixel buffer as an image of its own, resampled (bilinear) so
   * that its pixel buffer is {@code outWidth} x {@code outHeight}; its full size is the box's share
   * of this image's full size. Copies the pixels.
   *
   * @throws IllegalArgumentException if the box is empty or not inside the pixel buffer
   */
  public DecodedImage region(int x, int y, int w, int h, int outWidth, int outHeight) {
    if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > pixelWidth || y + h > pixelHeight || outWidth < 1 || outHeight < 1) {
      throw new IllegalArgumentException("region " + x + "," + y + " " + w + "x" + h + " -> " + outWidth + "x"
          + outHeight + " is not inside " + pixelWidth + "x" + pixelHeight);
    }
    BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_3BYTE_BGR);
    var g = out.createGraphics();
    try {
      g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(toBufferedImage().getSubimage(x, y, w, h), 0, 0, outWidth, outHeight, null);
    } finally {
      g.dispose();
    }
    int fullWidth = Math.max(1, (int) Math.round((double) w * width / pixelWidth));
    int fullHeight = Math.max(1, (int) Math.round((double) h * height / pixelHeight));
    return new DecodedImage(format, fullWidth, fullHeight, outWidth, outHeight,
        ((DataBufferByte) out.getRaster().getDataBuffer()).getData());
  }

  @Override
  public String toString() {
    return "DecodedImage[" + format.wireName() + " " + width + "x" + height
        + " decoded at " + pixelWidth + "x" + pixelHeight + "]";
  }
}
