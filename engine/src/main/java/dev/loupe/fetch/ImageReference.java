package dev.loupe.fetch;

import dev.loupe.fetch.FetchException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an image is: what a user or a model wrote in an {@code image_url}, {@code image} or
 * {@code --image} field, parsed by {@link #parse(String)} and read by {@link ImageFetcher}.
 *
 * <p>Inline payloads keep their text undecoded, so that {@link ImageFetcher} can refuse them by
 * length before decoding.
 */
public sealed interface ImageReference {
  /** A short, printable form for messages and logs (inline data is summarised, not echoed). */
  String describe();

  /** A file on this machine. Servers should refuse these for remote callers. */
  record LocalFile(Path path) implements ImageReference {
    public LocalFile {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String describe() {
      return path.toString();
    }
  }

  /** An {@code http} or {@code https} URL. */
  record RemoteUrl(URI uri) implements ImageReference {
    public RemoteUrl {
      Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String describe() {
      return uri.toString();
    }
  }

  /**
   * An RFC 2397 {@code data:} URL.
   *
   * @param mediaType the declared media type without parameters, lower case; empty if none given
   * @param base64 whether the payload is Base64 ({@code ;base64}) or percent-encoded
   * @param payload the text after the comma, still encoded
   */
  record DataUrl(String mediaType, boolean base64, String payload) implements ImageReference {
    public DataUrl {
      Objects.requireNonNull(mediaType, "mediaType");
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public String describe() {
      return "data:" + mediaType + (base64 ? ";base64" : "") + ",… (" + payload.length()
          + " characters)";
    }

    @Override
    public String toString() {
      return "DataUrl[" + describe() + "]";
    }
  }

  /** Bare Base64 text (standard or URL-safe alphabet, whitespace allowed), as some clients send. */
  record Base64Data(String text) implements ImageReference {
    public Base64Data {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String describe() {
      return "base64 data (" + text.length() + " characters)";
    }

    @Override
    public String toString() {
      return "Base64Data[" + describe() + "]";
    }
  }

  /**
   * Parses a location: an {@code http(s)} URL, a {@code data:} URL, a {@code file:} URL or local
   * path, or bare Base64 text. Text counts as Base64 only if no file of that name exists, it is at
   * least 32 characters long and it is well-formed Base64;
   * anything else that is not a URL is taken as a path (reading a missing one reports {@code
   * NOT_FOUND}). Does no I/O besides checking whether a path exists.
   *
   * @throws FetchException with {@link Reason#BAD_REFERENCE} for other schemes ({@code ftp:},
   *     {@code javascript:}, …), malformed URLs and malformed data URLs
   */
  static ImageReference parse(String location) throws FetchException {
    Objects.requireNonNull(location, "location");
    String text = location.strip();
    if (text.isEmpty()) {
      throw new FetchException(Reason.BAD_REFERENCE, "image location is empty");
    }
    String scheme = ReferenceSyntax.scheme(text);
    if (scheme != null) {
      switch (scheme) {
        case "http", "https" -> {
          return new RemoteUrl(ReferenceSyntax.httpUri(text));
        }
        case "data" -> {
          return ReferenceSyntax.dataUrl(text);
        }
        case "file" -> {
          try {
            return new LocalFile(Path.of(new URI(text)));
          } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(Reason.BAD_REFERENCE,
                ReferenceSyntax.shorten(text) + ": not a valid file URL (" + e.getMessage() + ")");
          }
        }
        default -> {
          if (!ReferenceSyntax.existingPath(text)) {
            throw new FetchException(Reason.BAD_REFERENCE, ReferenceSyntax.shorten(text)
                + ": unsupported scheme " + scheme + ": (use http, https, data or a local path)");
          }
          return new LocalFile(Path.of(text));
        }
      }
    }
    if (!ReferenceSyntax.existingPath(text) && ReferenceSyntax.looksLikeBase64(text)) {
      return new Base64Data(text);
    }
    try {
      return new LocalFile(Path.of(text));
    } catch (InvalidPathException e) {
      throw new FetchException(Reason.BAD_REFERENCE,
          ReferenceSyntax.shorten(text) + ": not a URL, a path or Base64 data");
    }
  }
}
