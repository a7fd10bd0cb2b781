package dev.loupe.crawl;

import java.util.List;
import java.util.Locale;

/**
 * What a page says about how it may be used, from {@code <meta name="robots">} (or a meta tag
 * named for the crawler's token) and {@code X-Robots-Tag} headers.
 *
 * <p>Understood tokens: {@code noindex} and {@code none} (the page is not indexed, so neither are
 * the pictures found on it), {@code nofollow} (links are not followed), {@code noimageindex}
 * (pictures on the page are not indexed), and the opt-outs {@code noai} and {@code noimageai}
 * (the page's pictures must not be collected for machine use). A header value may be scoped to one
 * crawler ({@code otherbot: noindex}); values scoped to another crawler are ignored.
 */
public record RobotsDirectives(boolean noIndex, boolean noFollow, boolean noImageIndex, boolean noAi) {
  /** No restriction. */
  public static final RobotsDirectives NONE = new RobotsDirectives(false, false, false, false);

  /** Whether the page's pictures may be fetched and indexed. */
  public boolean imagesAllowed() {
    return !noIndex && !noImageIndex && !noAi;
  }

  /** The token that made the pictures off limits, for reports; null when they are allowed. */
  public String imageOptOut() {
    return noIndex ? "noindex" : noImageIndex ? "noimageindex" : noAi ? "noai" : null;
  }

  /** These directives and {@code other}'s: a restriction in either holds. */
  public RobotsDirectives and(RobotsDirectives other) {
    return new RobotsDirectives(noIndex || other.noIndex, noFollow || other.noFollow,
        noImageIndex || other.noImageIndex, noAi || other.noAi);
  }

  /** Parses the comma-separated tokens of a meta robots {@code content}. */
  public static RobotsDirectives parse(String content) {
    RobotsDirectives d = NONE;
    for (String raw : content.split(",")) {
      d = d.and(token(raw.strip().toLowerCase(Locale.ROOT)));
    }
    return d;
  }

  /**
   * Parses {@code X-Robots-Tag} header values; a value starting with {@code name:} applies only to
   * the crawler whose token is {@code name}.
   */
  public static RobotsDirectives fromHeaders(List<String> values, String robotName) {
    RobotsDirectives d = NONE;
    for (String value : values) {
      String v = value.strip();
      int colon = v.indexOf(':');
      if (colon > 0) {
        String scope = v.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        if (!scope.contains(",") && !scope.contains(" ") && token(scope).equals(NONE)
            && !scope.equals("unavailable_after")) {
          if (!scope.equals(robotName.toLowerCase(Locale.ROOT))) {
            continue;
          }
          v = v.substring(colon + 1);
        }
      }
      d = d.and(parse(v));
    }
    return d;
  }

  private static RobotsDirectives token(String token) {
    return switch (token) {
      case "noindex" -> new RobotsDirectives(true, false, false, false);
      case "none" -> new RobotsDirectives(true, true, false, false);
      case "nofollow" -> new RobotsDirectives(false, true, false, false);
      case "noimageindex" -> new RobotsDirectives(false, false, true, false);
      case "noai", "noimageai" -> new RobotsDirectives(false, false, false, true);
      default -> NONE;
    };
  }
}
