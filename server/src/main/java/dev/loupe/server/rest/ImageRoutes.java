package dev.loupe.server.rest;

import dev.loupe.telemetry.Metrics;
import dev.loupe.tools.HitJson;
import dev.loupe.tools.ImageJson;
import dev.loupe.tools.LocalSource;
import dev.loupe.tools.UploadLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.ingest.Ingestor;
import dev.loupe.engine.ModelRequired;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.server.http.ServerConfig;
import dev.loupe.protocol.ApiException;
import dev.loupe.server.http.MethodNotAllowed;
import dev.loupe.server.http.RequestBody;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The image routes: search by image, add, read, thumbnail, content and delete.
 *
 * <ul>
 *   <li>{@code POST /v1/images/search}: JSON {@code {"image_url", "top_k", "match", "domain",
 *       "sort"}} or multipart with a {@code file} part and the same form fields; answers {@code
 *       {"results": [...]}} in {@link HitJson}'s shape plus {@code thumbnail_url}.
 *   <li>{@code POST /v1/images}: multipart {@code file} + {@code title}, {@code page_url}, or JSON
 *       {@code {"image_url", "title", "page_url"}}; committed before answering {@code {"id",
 *       "outcome"}}.
 *   <li>{@code GET /v1/images/{id}}, {@code .../thumbnail}, {@code .../content}; {@code DELETE
 *       /v1/images/{id}}.
 * </ul>
 *
 * <p>Local files indexed by the operator are linked as {@code {base}/v1/images/{id}/content}, which
 * serves the file while it exists; remote callers can name no file themselves ({@link RemoteImages}).
 */
public final class ImageRoutes implements HttpService {
  private static final Pattern ID = Pattern.compile("[0-9a-f]{" + IndexedImage.ID_LENGTH + "}");

  private final Loupe loupe;
  private final ServerConfig config;
  private final RemoteImages remote;

  public ImageRoutes(Loupe loupe, ServerConfig config) {
    this.loupe = loupe;
    this.config = config;
    this.remote = new RemoteImages(loupe.fetcher());
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/v1/images/search", this::search)
        .any("/v1/images/search", MethodNotAllowed.allowing("POST"))
        .post("/v1/images", this::add)
        .any("/v1/images", MethodNotAllowed.allowing("GET", "POST")) // GET: CollectionRoutes
        .get("/v1/images/{id}/thumbnail", this::thumbnail)
        .any("/v1/images/{id}/thumbnail", MethodNotAllowed.allowing("GET"))
        .get("/v1/images/{id}/content", this::content)
        .any("/v1/images/{id}/content", MethodNotAllowed.allowing("GET"))
        .get("/v1/images/{id}", this::image)
        .delete("/v1/images/{id}", this::delete)
        .any("/v1/images/{id}", MethodNotAllowed.allowing("GET", "DELETE"));
  }

  /** An image given by a request: uploaded bytes, or a reference still to read. */
  private record QueryImage(byte[] upload, String fileName, RemoteImage reference, String param) {}

  /** The image and the fields of a search or add body, whichever its content type. */
  private record Input(QueryImage image, ObjectNode fields) {}

  private Input input(ServerRequest request) throws IOException {
    return input(request, false);
  }

  /**
   * The request's image and fields; with {@code textWillDo}, a body without an image but with a
   * {@code text} field has a null image (a text query).
   */
  private Input input(ServerRequest request, boolean textWillDo) throws IOException {
    String contentType = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    byte[] body = RequestBody.read(request, config.maxRequestBytes());
    if (MultipartForm.isMultipart(contentType)) {
      MultipartForm form = MultipartForm.parse(body, contentType);
      if (form.file() != null) {
        return new Input(new QueryImage(form.file(), form.fileName(), null, "file"), form.fields());
      }
      if (textWillDo && textOnly(form.fields())) {
        return new Input(null, form.fields());
      }
      return new Input(fromUrlField(form.fields(), "Send the image as a file part or an image_url field."),
          form.fields());
    }
    ObjectNode fields = RequestBody.parseJsonObject(body);
    if (textWillDo && textOnly(fields)) {
      return new Input(null, fields);
    }
    return new Input(fromUrlField(fields, "Send image_url (an http(s) or data URL), or upload the file as"
        + " multipart/form-data."), fields);
  }

  /** A body with a text and no image_url. */
  private static boolean textOnly(ObjectNode fields) {
    JsonNode image = fields.get("image_url");
    return (image == null || image.isNull()) && SearchFields.optionalString(fields, "text") != null;
  }

  private static QueryImage fromUrlField(ObjectNode fields, String hint) {
    JsonNode node = fields.get("image_url");
    // OpenAI content parts nest the URL: {"image_url": {"url": "..."}}.
    if (node != null && node.isObject() && node.get("url") != null) {
      node = node.get("url");
    }
    if (node == null || node.isNull()) {
      throw ApiException.badRequest("missing_required_parameter", "image_url", "Missing image: " + hint);
    }
    if (!node.isTextual() || node.textValue().isBlank()) {
      throw ApiException.invalidValue("image_url", "image_url must be a non-empty string, got: " + abbreviate(node));
    }
    return new QueryImage(null, null, RemoteImages.parse(node.textValue(), "image_url"), "image_url");
  }

  private byte[] bytes(QueryImage image) {
    return image.upload() != null ? image.upload() : remote.read(image.reference(), image.param());
  }

  private void search(ServerRequest request, ServerResponse response) throws Exception {
    Input input = input(request, true);
    SearchRequest options = SearchFields.parse(input.fields());
    String text = SearchFields.optionalString(input.fields(), "text");
    List<SearchHit> hits;
    try {
      ImageAnalyzer.Analysis image = null;
      if (input.image() != null) {
        byte[] bytes = bytes(input.image());
        try {
          image = loupe.analyzer().analyzeQuery(bytes);
        } catch (ImageRejected e) {
          throw ApiException.image(input.image().param(), e);
        }
      }
      hits = loupe.search(image, text, options);
      Metrics.searched("rest", hits);
    } catch (ModelRequired e) {
      throw ApiException.badRequest("model_required", "text", e.getMessage());
    }
    String base = baseUrl();
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    ArrayNode results = body.putArray("results");
    for (SearchHit hit : hits) {
      String url = hit.url();
      if (url == null && LocalSource.path(hit.source()).isPresent()) {
        url = base + "/v1/images/" + hit.id() + "/content";
      }
      ObjectNode o = HitJson.fields(hit, url);
      o.put("thumbnail_url", base + "/v1/images/" + hit.id() + "/thumbnail");
      results.add(o);
    }
    Json.send(response, body);
  }

  private void add(ServerRequest request, ServerResponse response) throws Exception {
    Input input = input(request);
    String title = SearchFields.optionalString(input.fields(), "title");
    String pageUrl = SearchFields.optionalString(input.fields(), "page_url");
    if (pageUrl != null && !(pageUrl.startsWith("http://") || pageUrl.startsWith("https://"))) {
      throw ApiException.invalidValue("page_url", "page_url must be an http(s) URL, got: " + pageUrl);
    }
    QueryImage image = input.image();
    byte[] bytes = bytes(image);
    String location;
    if (image.reference() instanceof RemoteImage.Url url) {
      location = url.uri().toString();
    } else {
      if (title == null) {
        title = image.fileName() != null ? stripExtension(image.fileName()) : "uploaded image";
      }
      location = UploadLocation.of(bytes, title, pageUrl);
    }
    Ingestor.Added added;
    try {
      added = loupe.ingestor().add(bytes, new ImageRecord(location, title, pageUrl, null));
    } catch (ImageRejected e) {
      Metrics.addFailed();
      throw ApiException.image(image.param(), e);
    }
    loupe.index().commit();
    Metrics.added(added.outcome());
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("id", added.id());
    body.put("outcome", added.outcome().name().toLowerCase(Locale.ROOT));
    Json.send(response, body);
  }

  private void image(ServerRequest request, ServerResponse response) throws IOException {
    Json.send(response, ImageJson.image(find(request), baseUrl()));
  }

  private void thumbnail(ServerRequest request, ServerResponse response) throws IOException {
    String id = id(request);
    byte[] jpeg = loupe.index().thumbnail(id).orElseThrow(() -> noImage(id));
    response.header(HeaderNames.CONTENT_TYPE, "image/jpeg");
    response.header(HeaderNames.CACHE_CONTROL, "max-age=86400");
    response.send(jpeg);
  }

  private void content(ServerRequest request, ServerResponse response) throws IOException {
    IndexedImage image = find(request);
    // An upload's original bytes, kept by the engine.
    Optional<byte[]> original = loupe.original(image);
    if (original.isPresent()) {
      response.header(HeaderNames.CONTENT_TYPE, "image/" + image.format());
      response.send(original.get());
      return;
    }
    for (Occurrence occurrence : image.occurrences()) {
      Optional<Path> path = LocalSource.path(occurrence.source());
      if (path.isPresent() && Files.isRegularFile(path.get())) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(path.get());
        } catch (NoSuchFileException e) {
          continue; // deleted since the check
        }
        response.header(HeaderNames.CONTENT_TYPE, "image/" + image.format());
        response.send(bytes);
        return;
      }
    }
    for (Occurrence occurrence : image.occurrences()) {
      if (occurrence.url() != null) {
        response.status(Status.FOUND_302);
        response.header(HeaderNames.LOCATION, occurrence.url());
        response.send();
        return;
      }
    }
    throw ApiException.notFound("Image " + image.id() + " has no content to serve: its files are gone and it has no URL.");
  }

  private void delete(ServerRequest request, ServerResponse response) throws IOException {
    String id = id(request);
    if (!loupe.deleteImage(id)) {
      throw noImage(id);
    }
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("id", id);
    body.put("deleted", true);
    Json.send(response, body);
  }

  private IndexedImage find(ServerRequest request) throws IOException {
    String id = id(request);
    return loupe.index().image(id).orElseThrow(() -> noImage(id));
  }

  private static String id(ServerRequest request) {
    String id = request.path().pathParameters().get("id");
    if (!ID.matcher(id).matches()) {
      throw noImage(id);
    }
    return id;
  }

  private static ApiException noImage(String id) {
    return ApiException.notFound("No image with id " + abbreviate(id) + ".");
  }

  /**
   * The configured public base URL, else none: links are then relative ({@code /v1/images/...}).
   * Never the request's {@code Host} header, which the caller chooses: reflected into links it would
   * let a forged header point other people's result pages (through a shared cache) anywhere.
   */
  private String baseUrl() {
    return baseUrl(config);
  }

  /** As {@link #baseUrl()}, for the other routes that write links to images. */
  static String baseUrl(ServerConfig config) {
    return config.publicBaseUrl() != null ? config.publicBaseUrl() : "";
  }

  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }

  private static String stripExtension(String fileName) {
    String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
