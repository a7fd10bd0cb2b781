package dev.loupe.server.rest;

import dev.loupe.engine.Loupe;
import dev.loupe.index.ImageListing;
import dev.loupe.index.ImagePage;
import dev.loupe.index.IndexFilter;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.protocol.ApiException;
import dev.loupe.tools.ImageJson;
import io.helidon.common.parameters.Parameters;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /v1/images}: the collection, a page at a time. Query parameters, all optional:
 * {@code limit} (1 to 1000, default 50), {@code offset} (default 0), {@code domain} (repeatable or
 * comma-separated), {@code source} (a prefix of the path, URL or {@code upload:} the image was
 * indexed from), {@code from} and {@code to} (first seen in {@code [from, to)}, an ISO-8601 instant
 * or a date), {@code title} (one word of an occurrence's title), {@code order} ({@code newest}, the
 * default, or {@code oldest}). Answers {@code {"object": "list", "data": [images], "total",
 * "offset", "next_offset"}} with images as {@link ImageJson} shows them; {@code next_offset} is null
 * on the last page.
 */
public final class CollectionRoutes implements HttpService {
  /** The page size when {@code limit} is not given. */
  public static final int DEFAULT_LIMIT = 50;

  private final Loupe loupe;
  private final ServerConfig config;

  public CollectionRoutes(Loupe loupe, ServerConfig config) {
    this.loupe = loupe;
    this.config = config;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/v1/images", this::list);
  }

  private void list(ServerRequest request, ServerResponse response) throws IOException {
    ImageListing listing = listing(request.query());
    ImagePage page = loupe.index().list(listing);
    String base = ImageRoutes.baseUrl(config);
    Json.send(response, ImageJson.page(page, image -> ImageJson.image(image, base)));
  }

  /** The listing the query parameters ask for; a bad value is a 400 naming its parameter. */
  static ImageListing listing(Parameters query) {
    int limit = integer(query, "limit", DEFAULT_LIMIT);
    int offset = integer(query, "offset", 0);
    if (limit < 1 || limit > ImageListing.MAX_LIMIT) {
      throw ApiException.invalidValue("limit", "limit must be between 1 and " + ImageListing.MAX_LIMIT + ", got: " + limit);
    }
    if (offset < 0) {
      throw ApiException.invalidValue("offset", "offset must be at least 0, got: " + offset);
    }
    Set<String> domains = new LinkedHashSet<>();
    for (String value : query.all("domain", java.util.List::of)) {
      for (String d : value.split(",")) {
        if (!d.isBlank()) {
          domains.add(d.strip());
        }
      }
    }
    Instant from = instant(query, "from");
    Instant to = instant(query, "to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiException.invalidValue("to", "to must be after from, got: from " + from + ", to " + to);
    }
    String order = query.first("order").orElse("newest");
    if (!order.equals("newest") && !order.equals("oldest")) {
      throw ApiException.invalidValue("order", "order must be newest or oldest, got: " + order);
    }
    return new ImageListing(new IndexFilter(domains), query.first("source").orElse(null), from, to,
        query.first("title").orElse(null), order.equals("newest"), offset, limit);
  }

  private static int integer(Parameters query, String name, int fallback) {
    String value = query.first(name).orElse(null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.invalidValue(name, name + " must be an integer, got: " + value);
    }
  }

  private static Instant instant(Parameters query, String name) {
    String value = query.first(name).orElse(null);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return ImageListing.parseTime(name, value.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidValue(name, e.getMessage());
    }
  }
}
