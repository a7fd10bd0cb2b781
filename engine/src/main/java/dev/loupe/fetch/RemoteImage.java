package dev.loupe.fetch;

import dev.loupe.fetch.FetchException.Reason;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * An image a remote caller may name: an {@code http(s)} URL, a {@code data:} URL, or the bytes of
 * an upload. Never a path or a {@code file:} URL: what the protocols of a server parse, and what
 * {@link ImageFetcher#read(RemoteImage)} reads, so that a protocol cannot make the server read its
 * own disk by forgetting a check. Reading a local file is {@link ImageFetcher#readLocation(String)},
 * which only the command line calls.
 */
public sealed interface RemoteImage {
  /** A short, printable form for messages and logs (inline data is summarised, not echoed). */
  String describe();

  /** An {@code http} or {@code https} URL, fetched under the {@link FetchPolicy}. */
  record Url(URI uri) implements RemoteImage {
    public Url {
      Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String describe() {
      return uri.toString();
    }
  }

  /** An RFC 2397 {@code data:} URL, decoded locally. */
  record Data(ImageReference.DataUrl url) implements RemoteImage {
    public Data {
      Objects.requireNonNull(url, "url");
    }

    @Override
    public String describe() {
      return url.describe();
    }
  }

  /** The bytes of an uploaded file. */
  record Upload(byte[] bytes) implements RemoteImage {
    public Upload {
      bytes = Objects.requireNonNull(bytes, "bytes").clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String describe() {
      return "upload (" + bytes.length + " bytes)";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Upload u && java.util.Arrays.equals(bytes, u.bytes);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Upload[" + bytes.length + " bytes]";
    }
  }

  /**
   * Whether {@code text} names an image a remote caller may give: it starts with {@code http://},
   * {@code https://} or {@code data:} (any case). The one rule every protocol applies.
   */
  static boolean accepts(String text) {
    String start = text.strip();
    start = start.substring(0, Math.min(start.length(), 8)).toLowerCase(Locale.ROOT);
    return start.startsWith("http://") || start.startsWith("https://") || start.startsWith("data:");
  }

  /**
   * Parses what a remote caller wrote.
   *
   * @throws FetchException {@link Reason#BAD_REFERENCE} for a path, a {@code file:} URL, bare
   *     Base64 or another scheme (decided from the text, before anything touches the file system),
   *     and for a malformed URL or data URL
   */
  static RemoteImage parse(String text) throws FetchException {
    Objects.requireNonNull(text, "text");
    if (!accepts(text)) {
      throw new FetchException(Reason.BAD_REFERENCE, ReferenceSyntax.shorten(text.strip())
          + ": not an http(s) or data URL; local paths, file: URLs and bare Base64 are not accepted from"
          + " remote callers");
    }
    String stripped = text.strip();
    if (stripped.regionMatches(true, 0, "data:", 0, 5)) {
      return new Data(ReferenceSyntax.dataUrl(stripped));
    }
    return new Url(ReferenceSyntax.httpUri(stripped));
  }
}
