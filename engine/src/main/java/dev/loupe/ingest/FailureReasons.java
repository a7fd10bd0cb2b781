package dev.loupe.ingest;

import dev.loupe.fetch.FetchException;
import dev.loupe.image.ImageRejected;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The short labels by which {@link IngestReport#failuresByReason()} counts failures. */
public final class FailureReasons {
  /** The label of a failure of no known kind. */
  public static final String OTHER = "other";

  private static final Pattern HTTP_STATUS = Pattern.compile(": HTTP (\\d{3})\\b");

  private FailureReasons() {}

  /** {@code HTTP 404}, {@code timeout}, {@code refused private address}, … */
  static String of(FetchException e) {
    return switch (e.reason()) {
      case HTTP_STATUS -> {
        Matcher m = HTTP_STATUS.matcher(e.getMessage());
        yield m.find() ? "HTTP " + m.group(1) : "HTTP error";
      }
      case TIMEOUT -> "timeout";
      case BLOCKED_ADDRESS -> "refused private address";
      case UNREACHABLE -> "unreachable";
      case TOO_LARGE -> "too large";
      case BAD_CONTENT_TYPE -> "not an image";
      case TOO_MANY_REDIRECTS -> "too many redirects";
      case BAD_REFERENCE -> "bad URL";
      case NOT_FOUND -> "no such file";
    };
  }

  /** {@code not an image} for bytes that do not decode, else the limit that refused them. */
  static String of(ImageRejected e) {
    return switch (e.reason()) {
      case EMPTY, UNSUPPORTED_FORMAT, MALFORMED -> "not an image";
      case TOO_SMALL -> "image too small";
      case ASPECT_RATIO -> "aspect ratio";
      case ENCODED_TOO_LARGE, TOO_MANY_PIXELS -> "too large";
      case METADATA_TOO_LARGE -> "metadata too large";
    };
  }

  /** Failures counted by reason, most frequent first, ties by name. */
  static Map<String, Long> count(List<IngestFailure> failures) {
    Map<String, Long> counts = new TreeMap<>();
    failures.forEach(f -> counts.merge(f.reason(), 1L, Long::sum));
    Map<String, Long> ordered = new java.util.LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }
}
