package dev.loupe.fetch;

/** Placeholder until the fetcher lands. */
public class FetchException extends Exception {
  public FetchException(String message) {
    super(message);
  }
}
