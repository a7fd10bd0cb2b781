package dev.loupe.image;

/** Encoded image formats Loupe recognises by their leading bytes. */
public enum ImageFormat {
  JPEG,
  PNG,
  BMP,
  GIF,
  TIFF,
  WEBP,
  /** Recognised so that the error can name it; decoded only where a decoder is present. */
  HEIC;

  /** The name used in messages and JSON, for example {@code "jpeg"}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
