package dev.loupe.fetch;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A crawler's HTTP response, read by {@link ImageFetcher#readPage} or {@link
 * ImageFetcher#readImage} after following redirects.
 *
 * @param status the final status (200, 304, 404, …); the body is empty unless it is 200
 * @param body the body of a 200, at most {@link FetchPolicy#maxBytes()}; not copied, callers must
 *     not change it
 * @param contentType the declared media type without parameters, or {@code null}
 * @param location the final URL after redirects, to resolve relative links against
 * @param where the URL as asked for and, after redirects, where it led: for messages
 * @param headers the final response's headers; names are matched without regard to case
 */
public record FetchedPage(int status, byte[] body, String contentType, String location,
    String where, Map<String, List<String>> headers) {
  public FetchedPage {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(location, "location");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /** The first value of a header, if sent. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  /** Every value of a header, in order; empty when not sent. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name, List.of());
  }

  @Override
  public String toString() {
    return "FetchedPage[" + status + ", " + body.length + " bytes, " + contentType + ", " + location + "]";
  }
}
