package dev.loupe.crawl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads the title, links, pictures and meta robots directives of an HTML page with jsoup.
 *
 * <p>Pictures come from {@code <img>} ({@code src}; the largest {@code srcset} candidate; the lazy
 * loaders' {@code data-src}, {@code data-srcset}, {@code data-lazy-src} and {@code data-original},
 * which win over a {@code src} that is only a placeholder), from the {@code <source>} elements of
 * a {@code <picture>} (their largest candidate competes with the {@code <img>}'s), and from
 * {@code og:image} meta tags. CSS backgrounds are out of scope. {@code data:} URLs are skipped:
 * they have no address to record.
 *
 * <p>Stateless and thread-safe.
 */
public final class PageParser {
  private final String robotName;

  /** @param robotName the crawler's robots token; a {@code <meta name=TOKEN>} counts as meta robots */
  public PageParser(String robotName) {
    this.robotName = robotName.toLowerCase(Locale.ROOT);
  }

  /** Parses {@code html} served from {@code pageUrl} (the final URL after redirects). */
  public ParsedPage parse(byte[] html, String charsetHint, String pageUrl) {
    try {
      // jsoup detects the charset from a BOM or <meta charset>, else the hint, else UTF-8.
      return parse(Jsoup.parse(new java.io.ByteArrayInputStream(html), charsetHint, pageUrl));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // Cannot happen: the bytes are in memory.
    }
  }

  /** Parses an HTML string served from {@code pageUrl}. */
  public ParsedPage parse(String html, String pageUrl) {
    return parse(Jsoup.parse(html, pageUrl));
  }

  private ParsedPage parse(Document doc) {
    String title = doc.title().strip();
    RobotsDirectives directives = RobotsDirectives.NONE;
    for (Element meta : doc.select("meta[name][content]")) {
      String name = meta.attr("name").strip().toLowerCase(Locale.ROOT);
      if (name.equals("robots") || name.equals(robotName)) {
        directives = directives.and(RobotsDirectives.parse(meta.attr("content")));
      }
    }
    Set<String> links = new LinkedHashSet<>();
    for (Element a : doc.select("a[href], area[href]")) {
      if (a.attr("rel").toLowerCase(Locale.ROOT).contains("nofollow")) {
        continue;
      }
      String url = absolute(a.absUrl("href"));
      if (url != null) {
        links.add(url);
      }
    }
    Map<String, String> images = new LinkedHashMap<>();
    for (Element img : doc.select("img")) {
      Candidate best = null;
      Element picture = img.parent() != null && img.parent().nameIs("picture") ? img.parent() : null;
      if (picture != null) {
        for (Element source : picture.select("> source")) {
          best = larger(best, largest(source, "srcset"));
          best = larger(best, largest(source, "data-srcset"));
        }
      }
      best = larger(best, largest(img, "srcset"));
      best = larger(best, largest(img, "data-srcset"));
      String url = best != null ? best.url : null;
      for (String attr : List.of("data-src", "data-lazy-src", "data-original", "src")) {
        if (url == null) {
          url = absolute(img.absUrl(attr));
        }
      }
      if (url != null) {
        images.putIfAbsent(url, ownText(img));
      }
    }
    for (Element meta : doc.select("meta[property=og:image], meta[property=og:image:url], meta[name=og:image]")) {
      String url = absolute(meta.absUrl("content"));
      if (url != null) {
        String alt = doc.select("meta[property=og:image:alt]").attr("content").strip();
        images.putIfAbsent(url, alt);
      }
    }
    List<ParsedPage.PageImage> found = new ArrayList<>();
    images.forEach((url, text) -> found.add(new ParsedPage.PageImage(url, text)));
    return new ParsedPage(title, new ArrayList<>(links), found, directives);
  }

  private static String ownText(Element img) {
    String alt = img.attr("alt").strip();
    if (!alt.isEmpty()) {
      return alt;
    }
    String title = img.attr("title").strip();
    if (!title.isEmpty()) {
      return title;
    }
    Element figure = img.closest("figure");
    if (figure != null) {
      Element caption = figure.selectFirst("figcaption");
      if (caption != null) {
        return caption.text().strip();
      }
    }
    return "";
  }

  /** One {@code srcset} candidate: its width descriptor ({@code 0} when none) and density ({@code 1x} by default). */
  private record Candidate(String url, double width, double density) {}

  private static Candidate larger(Candidate a, Candidate b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    // Width descriptors compare with each other; a width beats a density (it is the actual size).
    if (a.width > 0 || b.width > 0) {
      return b.width > a.width ? b : a;
    }
    return b.density > a.density ? b : a;
  }

  /** The largest candidate of a {@code srcset}-like attribute, or null. */
  private static Candidate largest(Element element, String attr) {
    String srcset = element.attr(attr).strip();
    if (srcset.isEmpty()) {
      return null;
    }
    Candidate best = null;
    for (String part : srcset.split(",(?=\\s*\\S)")) {
      String[] bits = part.strip().split("\\s+");
      if (bits.length == 0 || bits[0].isEmpty()) {
        continue;
      }
      String url = absolute(resolve(element.baseUri(), bits[0]));
      if (url == null) {
        continue;
      }
      double width = 0;
      double density = 1;
      if (bits.length > 1) {
        String d = bits[1].toLowerCase(Locale.ROOT);
        try {
          if (d.endsWith("w")) {
            width = Double.parseDouble(d.substring(0, d.length() - 1));
          } else if (d.endsWith("x")) {
            density = Double.parseDouble(d.substring(0, d.length() - 1));
          }
        } catch (NumberFormatException e) {
          continue; // A malformed descriptor: the candidate is dropped, as browsers do.
        }
      }
      best = larger(best, new Candidate(url, width, density));
    }
    return best;
  }

  private static String resolve(String base, String ref) {
    try {
      return new URI(base).resolve(ref.replace(" ", "%20")).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code url} without its fragment when it is an http(s) URL, else null. */
  static String absolute(String url) {
    if (url == null || url.isEmpty()) {
      return null;
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return null;
    }
    int hash = url.indexOf('#');
    return hash >= 0 ? url.substring(0, hash) : url;
  }
}
