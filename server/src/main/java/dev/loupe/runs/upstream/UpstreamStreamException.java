package dev.loupe.runs.upstream;

/** The upstream's stream was malformed, reported an error, or ended early; the message says which. */
final class UpstreamStreamException extends Exception {
  UpstreamStreamException(String message) {
    super(message, null, false, false);
  }
}
