package dev.loupe.image;

/** Placeholder until the loader lands. */
public class ImageRejected extends Exception {
  public ImageRejected(String message) {
    super(message);
  }
}
