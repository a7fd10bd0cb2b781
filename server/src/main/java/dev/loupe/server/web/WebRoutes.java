package dev.loupe.server.web;

import dev.loupe.protocol.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web pages from the classpath folder {@code dev/loupe/server/web/}: {@code GET /},
 * {@code /playground} and {@code /collection} answer their HTML page, {@code GET /assets/{name}}
 * a file of {@code web/assets/} (scripts, styles, icons).
 *
 * <pre>{@code
 * routing.register(new WebRoutes());
 * }</pre>
 *
 * <p>Only names of the form {@code name.ext} with a known extension are looked up, so a request
 * can never reach another classpath resource ({@code ..}, sub-folders, class files). Files are
 * read once and kept in memory (the whole folder is a few dozen kilobytes). Every answer carries a
 * strong {@code ETag} and {@code Cache-Control: no-cache}: file names carry no version, so browsers
 * must revalidate, and a matching {@code If-None-Match} gets an empty 304. Thread-safe.
 *
 * <p>Mount it in front of the bearer-auth filter's reach with {@link #isPublic(String)}: pages hold
 * no data, and a page must load before the user can type a key into it.
 */
public final class WebRoutes implements HttpService {
  private static final String ROOT = "/dev/loupe/server/web/";
  private static final Map<String, String> PAGES =
      Map.of("/", "index.html", "/playground", "playground.html", "/collection", "collection.html");
  private static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|svg|png|ico)");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon");
  // Scripts and styles only from this server; images also as blob: and data: URLs (the query
  // preview, thumbnails fetched with the key) and from anywhere over http(s) (a hit's own URL).
  private static final String CSP = "default-src 'self'; img-src 'self' blob: data: http: https:;"
      + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private final Map<String, Optional<Resource>> cache = new ConcurrentHashMap<>();

  /** A file in memory with its content type and entity tag. */
  private record Resource(byte[] bytes, String contentType, String etag) {}

  /** Whether a {@code GET} of {@code path} is a page or an asset, open without a key. */
  public static boolean isPublic(String path) {
    return PAGES.containsKey(path) || path.startsWith("/assets/") && ASSET_NAME.matcher(path.substring(8)).matches();
  }

  @Override
  public void routing(HttpRules rules) {
    PAGES.forEach((path, file) -> rules.get(path, (request, response) -> send(request, response, file)));
    rules.get("/assets/{name}", (request, response) -> {
      String name = request.path().pathParameters().get("name");
      if (!ASSET_NAME.matcher(name).matches()) {
        throw ApiException.notFound("No asset named " + abbreviate(name) + ".");
      }
      send(request, response, "assets/" + name);
    });
  }

  private void send(ServerRequest request, ServerResponse response, String file) {
    Resource resource = cache.computeIfAbsent(file, WebRoutes::load)
        .orElseThrow(() -> ApiException.notFound("No asset named " + abbreviate(file) + "."));
    response.header(HeaderNames.ETAG, resource.etag());
    response.header(HeaderNames.CACHE_CONTROL, "no-cache");
    response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    if (resource.contentType().startsWith("text/html")) {
      response.header(HeaderNames.create("Content-Security-Policy"), CSP);
      response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
    }
    boolean fresh = request.headers().first(HeaderNames.IF_NONE_MATCH)
        .map(tags -> tags.contains(resource.etag()))
        .orElse(false);
    if (fresh) {
      response.status(Status.NOT_MODIFIED_304);
      response.send();
      return;
    }
    response.header(HeaderNames.CONTENT_TYPE, resource.contentType());
    response.send(resource.bytes());
  }

  private static Optional<Resource> load(String file) {
    try (InputStream in = WebRoutes.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
      return Optional.of(new Resource(bytes, type, "\"" + sha256(bytes).substring(0, 20) + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the web resource " + file, e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }
}
