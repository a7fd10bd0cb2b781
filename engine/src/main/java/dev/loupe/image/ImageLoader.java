package dev.loupe.image;

/** Placeholder until the loader lands: validates and decodes encoded bytes. */
public final class ImageLoader {
  public ImageLoader(ImageLimits limits) {}

  public DecodedImage decode(byte[] encoded, int targetLongSide) throws ImageRejected {
    throw new UnsupportedOperationException("not written yet");
  }
}
