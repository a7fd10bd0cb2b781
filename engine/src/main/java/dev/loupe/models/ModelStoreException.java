package dev.loupe.models;

/** A model could not be listed, downloaded, installed or verified; the message says which file and why. */
public final class ModelStoreException extends Exception {
  public ModelStoreException(String message) {
    super(message);
  }

  public ModelStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
