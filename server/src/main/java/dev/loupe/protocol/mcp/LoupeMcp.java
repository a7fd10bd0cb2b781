package dev.loupe.protocol.mcp;

import dev.loupe.telemetry.Metrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.ModelRequired;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.image.ImageRejected;
import dev.loupe.index.IndexedImage;
import dev.loupe.ingest.ImageAnalyzer;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.ingest.Ingestor;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import dev.loupe.search.SortOrder;
import dev.loupe.tools.HitJson;
import dev.loupe.tools.ImageErrorCodes;
import dev.loupe.tools.ImageJson;
import dev.loupe.tools.StatsJson;
import dev.loupe.tools.UploadLocation;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Loupe's Model Context Protocol surface, without a transport: the tools ({@code image_search},
 * {@code text_search} when a text-capable embedding model is set, {@code get_image},
 * {@code add_image} on a writable HTTP server, {@code collection_stats}), the resource template
 * {@code loupe://image/{id}} and the prompt {@code trace_origin}. {@link McpServers} mounts them on
 * the official MCP Java SDK's servers; the HTTP route and {@code loupe mcp} choose the transport.
 *
 * <p>Hits carry the fields of the REST API ({@link HitJson}); failures are tool errors
 * ({@code isError}) whose text is {@code {"error": {"code", "message"}}} with the REST API's codes
 * and messages. Over HTTP an image is an http(s) URL, a data URL or Base64 ({@link RemoteImage}):
 * a path is refused; over stdio, run by the owner of the files, a local path is read too.
 *
 * <p>Thread-safe: every call works on the engine, which is.
 */
public final class LoupeMcp {
  /** How the client reaches the server: it decides what an image may be and what a hit's URL is. */
  public enum Transport { HTTP, STDIO }

  /**
   * Reads an image the user named by location, a local path included: given by the command line
   * ({@code loupe mcp}), run by the owner of the files; a server has none.
   */
  @FunctionalInterface
  public interface LocalFiles {
    byte[] read(String location) throws FetchException;
  }

  /** The name, version and instructions the server announces. */
  static final String NAME = "loupe";
  static final String INSTRUCTIONS = "Loupe searches a self-hosted image collection by image: give image_search an"
      + " image (URL, data URL or base64) to find its copies (exact, near_duplicate, partial) and similar images,"
      + " with where and when each was first seen. get_image shows every place an image was seen.";
  static final int MAX_TOP_K = 100;
  static final int DEFAULT_TOP_K = 10;
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_=\\-\\s]{32,}");

  private final Loupe loupe;
  private final Transport transport;
  private final Function<String, String> contentUrl;
  private final String linkBase;
  private final boolean writable;
  private final LocalFiles localFiles;

  /** Over HTTP: images are {@link RemoteImage}s only, hits link under {@code linkBase}. */
  public static LoupeMcp overHttp(Loupe loupe, String linkBase, boolean writable) {
    return new LoupeMcp(loupe, Transport.HTTP, Objects.requireNonNull(linkBase, "linkBase"), writable, null);
  }

  /** Over stdio: local files are read with {@code localFiles}; hits without a URL link to their resource. */
  public static LoupeMcp overStdio(Loupe loupe, LocalFiles localFiles) {
    return new LoupeMcp(loupe, Transport.STDIO, null, false, Objects.requireNonNull(localFiles, "localFiles"));
  }

  /**
   * @param linkBase the server's public base URL for thumbnail and content links (HTTP), or null
   *     (stdio: a hit without a URL of its own gets {@code loupe://image/{id}})
   * @param writable whether {@code add_image} is offered (an HTTP server not run read-only)
   */
  private LoupeMcp(Loupe loupe, Transport transport, String linkBase, boolean writable, LocalFiles localFiles) {
    this.loupe = Objects.requireNonNull(loupe, "loupe");
    this.localFiles = localFiles;
    this.transport = Objects.requireNonNull(transport, "transport");
    this.linkBase = linkBase;
    this.writable = writable && transport == Transport.HTTP;
    // Without a public URL a link would be relative, of no use to an agent: it gets the resource.
    this.contentUrl = linkBase != null && !linkBase.isEmpty() ? id -> linkBase + "/v1/images/" + id + "/content"
        : LoupeMcp::resourceUri;
  }

  /** {@code loupe://image/{id}}. */
  static String resourceUri(String id) {
    return "loupe://image/" + id;
  }

  /** One tool: its definition and what a call does. */
  record ToolDef(McpSchema.Tool tool, Function<Map<String, Object>, McpSchema.CallToolResult> call) {}

  /** The tools this server offers. */
  List<ToolDef> tools() {
    List<ToolDef> tools = new ArrayList<>();
    tools.add(new ToolDef(McpSchema.Tool.builder().name("image_search").title("Search by image")
        .description("Finds the copies of an image in the collection (exact, near_duplicate, partial: crops,"
            + " rotations, recolourings, overlays) and images that look like it (similar), each with where and when"
            + " it was first seen. The image is "
            + (transport == Transport.STDIO ? "an http(s) URL, a data URL, base64, or a local file path."
                : "an http(s) URL, a data URL or base64 (local paths are not accepted)."))
        .inputSchema(Schemas.IMAGE_SEARCH_INPUT).outputSchema(Schemas.RESULTS_OUTPUT).build(), this::imageSearch));
    if (loupe.embeddingModel().map(m -> m.understandsText()).orElse(false)) {
      tools.add(new ToolDef(McpSchema.Tool.builder().name("text_search").title("Search by words")
          .description("Finds the images whose content matches the words, by the collection's embedding model.")
          .inputSchema(Schemas.TEXT_SEARCH_INPUT).outputSchema(Schemas.RESULTS_OUTPUT).build(), this::textSearch));
    }
    tools.add(new ToolDef(McpSchema.Tool.builder().name("get_image").title("An image and its provenance")
        .description("Shows an indexed image by id: its format and size, and every place it was seen (title, image"
            + " URL, page, first and last seen), with its thumbnail.")
        .inputSchema(Schemas.ID_INPUT).outputSchema(Schemas.IMAGE_OUTPUT).build(), this::getImage));
    if (writable) {
      tools.add(new ToolDef(McpSchema.Tool.builder().name("add_image").title("Add an image")
          .description("Adds an image to the collection, from an http(s) URL, a data URL or base64, with an optional"
              + " title and the page it was seen on.")
          .inputSchema(Schemas.ADD_INPUT).outputSchema(Schemas.ADD_OUTPUT).build(), this::addImage));
    }
    tools.add(new ToolDef(McpSchema.Tool.builder().name("collection_stats").title("Collection figures")
        .description("How many images and occurrences the collection holds, its size on disk, and the domains with"
            + " the most images.")
        .inputSchema(Schemas.NO_INPUT).outputSchema(Schemas.STATS_OUTPUT).build(), args -> stats()));
    return tools;
  }

  // ---- tools ----

  McpSchema.CallToolResult imageSearch(Map<String, Object> args) {
    return search(() -> {
      String text = optionalString(args, "text");
      SearchRequest request = searchRequest(args);
      byte[] bytes = readImage(requiredString(args, "image"), "image");
      ImageAnalyzer.Analysis query;
      try {
        query = loupe.analyzer().analyzeQuery(bytes);
      } catch (ImageRejected e) {
        throw new ToolError(ImageErrorCodes.of(e.reason()), "image: " + e.getMessage());
      }
      List<SearchHit> hits = loupe.search(query, text, request);
      Metrics.searched("mcp", hits);
      return hits;
    });
  }

  McpSchema.CallToolResult textSearch(Map<String, Object> args) {
    return search(() -> {
      String text = requiredString(args, "text");
      if (text.isBlank()) {
        throw new ToolError("invalid_value", "text must not be blank");
      }
      List<SearchHit> hits = loupe.search(null, text, searchRequest(args));
      Metrics.searched("mcp", hits);
      return hits;
    });
  }

  /** A search the tools run: its hits, or the failure as a tool error. */
  @FunctionalInterface
  private interface Search {
    List<SearchHit> run() throws ToolError, IOException;
  }

  private McpSchema.CallToolResult search(Search search) {
    try {
      return results(search.run());
    } catch (ToolError e) {
      return e.result();
    } catch (ModelRequired e) {
      return new ToolError("model_required", e.getMessage()).result();
    } catch (IOException e) {
      return new ToolError("server_error", "The search failed; see the server's log.").result();
    }
  }

  McpSchema.CallToolResult getImage(Map<String, Object> args) {
    try {
      String id = requiredString(args, "id");
      IndexedImage image = find(id);
      ObjectNode body = linkBase != null ? ImageJson.image(image, linkBase) : ImageJson.local(image);
      List<McpSchema.Content> content = new ArrayList<>();
      content.add(new McpSchema.TextContent(describe(image)));
      loupe.index().thumbnail(id).filter(b -> b.length > 0).ifPresent(thumb -> content.add(
          new McpSchema.ImageContent(null, Base64.getEncoder().encodeToString(thumb), "image/jpeg")));
      return McpSchema.CallToolResult.builder().content(content).structuredContent(toMap(body)).build();
    } catch (ToolError e) {
      return e.result();
    } catch (IOException e) {
      return new ToolError("server_error", "Reading the image failed; see the server's log.").result();
    }
  }

  McpSchema.CallToolResult addImage(Map<String, Object> args) {
    try {
      String imageText = requiredString(args, "image");
      String title = optionalString(args, "title");
      String pageUrl = optionalString(args, "page_url");
      if (pageUrl != null && !(pageUrl.startsWith("http://") || pageUrl.startsWith("https://"))) {
        throw new ToolError("invalid_value", "page_url must be an http(s) URL, got: " + shorten(pageUrl));
      }
      RemoteImage image = remoteImage(imageText, "image");
      byte[] bytes = read(image, "image");
      String location;
      if (image instanceof RemoteImage.Url url) {
        location = url.uri().toString();
      } else {
        title = title == null ? "uploaded image" : title;
        location = UploadLocation.of(bytes, title, pageUrl);
      }
      Ingestor.Added added;
      try {
        added = loupe.ingestor().add(bytes, new ImageRecord(location, title, pageUrl, null));
      } catch (ImageRejected e) {
        Metrics.addFailed();
        throw new ToolError(ImageErrorCodes.of(e.reason()), "image: " + e.getMessage());
      }
      loupe.index().commit();
      Metrics.added(added.outcome());
      ObjectNode body = HitJson.MAPPER.createObjectNode();
      body.put("id", added.id());
      body.put("outcome", added.outcome().name().toLowerCase(Locale.ROOT));
      return McpSchema.CallToolResult.builder()
          .addTextContent("Added as " + added.id() + " (" + body.get("outcome").asText().replace('_', ' ') + ").")
          .structuredContent(toMap(body)).build();
    } catch (ToolError e) {
      return e.result();
    } catch (IOException e) {
      return new ToolError("server_error", "Adding the image failed; see the server's log.").result();
    }
  }

  McpSchema.CallToolResult stats() {
    try {
      ObjectNode body = StatsJson.of(loupe, 20);
      return McpSchema.CallToolResult.builder()
          .addTextContent(body.get("images").asLong() + " images, " + body.get("occurrences").asLong()
              + " occurrences, " + body.get("bytes_on_disk").asLong() + " bytes on disk.")
          .structuredContent(toMap(body)).build();
    } catch (IOException e) {
      return new ToolError("server_error", "Reading the collection's figures failed; see the server's log.").result();
    }
  }

  // ---- resources and prompts ----

  /** The resource {@code loupe://image/{id}}: the image's record as JSON and its thumbnail. */
  McpSchema.ReadResourceResult readImageResource(String uri) {
    String prefix = "loupe://image/";
    if (!uri.startsWith(prefix) || uri.length() == prefix.length()) {
      throw new IllegalArgumentException("Unknown resource " + shorten(uri) + ": Loupe serves loupe://image/{id}.");
    }
    String id = uri.substring(prefix.length());
    IndexedImage image;
    Object thumbnail;
    try {
      image = find(id);
      thumbnail = loupe.index().thumbnail(id).filter(b -> b.length > 0).orElse(null);
    } catch (ToolError e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException("Reading the image failed; see the server's log.");
    }
    ObjectNode body = linkBase != null ? ImageJson.image(image, linkBase) : ImageJson.local(image);
    List<McpSchema.ResourceContents> contents = new ArrayList<>();
    contents.add(new McpSchema.TextResourceContents(uri, "application/json", body.toString()));
    if (thumbnail instanceof byte[] bytes) {
      contents.add(new McpSchema.BlobResourceContents(uri, "image/jpeg", Base64.getEncoder().encodeToString(bytes)));
    }
    return new McpSchema.ReadResourceResult(contents);
  }

  static final McpSchema.ResourceTemplate IMAGE_RESOURCE = new McpSchema.ResourceTemplate("loupe://image/{id}",
      "image", "An indexed image", "An image of the collection: its record (format, size, every place it was"
          + " seen) as JSON, and its thumbnail.", "application/json", null);

  static final McpSchema.Prompt TRACE_ORIGIN = new McpSchema.Prompt("trace_origin", "Trace an image's origin",
      "Searches the collection with an image and follows its copies back to the earliest sighting.",
      List.of(new McpSchema.PromptArgument("image", "The image: an http(s) URL, a data URL or base64.", true)));

  McpSchema.GetPromptResult traceOrigin(Map<String, Object> args) {
    Object image = args == null ? null : args.get("image");
    if (!(image instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("The trace_origin prompt needs its image argument.");
    }
    String instructions = """
        Trace where this image comes from, using Loupe's tools:
        1. Call image_search with image = %s and sort = "oldest".
        2. Keep the copies (match exact, near_duplicate or partial); similar images are not copies.
        3. For the earliest copies, call get_image with their id to see every place each was seen.
        4. Answer: the earliest sighting (page, date), the largest version, and how the copies differ \
        (their differences), citing the URLs. Say so plainly if no copy was found."""
        .formatted(text.length() > 200 ? text.substring(0, 200) + "…" : text);
    return new McpSchema.GetPromptResult("Trace the origin of an image with Loupe",
        List.of(new McpSchema.PromptMessage(McpSchema.Role.USER, new McpSchema.TextContent(instructions))));
  }

  // ---- helpers ----

  private McpSchema.CallToolResult results(List<SearchHit> hits) {
    ArrayNode results = HitJson.MAPPER.createArrayNode();
    StringBuilder text = new StringBuilder(hits.isEmpty() ? "No image in the collection matches."
        : hits.size() + (hits.size() == 1 ? " hit:" : " hits:"));
    for (SearchHit hit : hits) {
      String url = hit.url() != null ? hit.url() : contentUrl.apply(hit.id());
      results.add(HitJson.fields(hit, url));
      text.append('\n').append(hit.index()).append(". ").append(hit.match().wireName()).append(' ')
          .append(String.format(Locale.ROOT, "%.3f", hit.score())).append(' ')
          .append(hit.title() == null ? "(untitled)" : hit.title()).append(" — ").append(url)
          .append(" [id ").append(hit.id()).append(hit.firstSeen() == null ? "" : ", first seen " + hit.firstSeen())
          .append(']');
    }
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.set("results", results);
    return McpSchema.CallToolResult.builder().addTextContent(text.toString()).structuredContent(toMap(body)).build();
  }

  private static String describe(IndexedImage image) {
    StringBuilder text = new StringBuilder(image.id() + ": " + image.format() + " " + image.width() + "x"
        + image.height() + ", seen " + image.occurrences().size() + (image.occurrences().size() == 1 ? " time" : " times")
        + ", first on " + image.firstSeen());
    image.occurrences().forEach(o -> text.append("\n- ").append(o.title() == null ? "(untitled)" : o.title())
        .append(o.pageUrl() == null ? "" : " on " + o.pageUrl()).append(", first seen ").append(o.firstSeen())
        .append(", last seen ").append(o.lastSeen()));
    return text.toString();
  }

  private IndexedImage find(String id) throws IOException, ToolError {
    if (id.isBlank() || id.length() > 128) {
      throw new ToolError("invalid_value", "id must be an image id of 1 to 128 characters, got: " + shorten(id));
    }
    return loupe.index().image(id).orElseThrow(() -> new ToolError("not_found", "No image with id " + shorten(id) + "."));
  }

  /** The image's bytes: a {@link RemoteImage}, or over stdio also a local file (or bare base64). */
  private byte[] readImage(String text, String param) throws ToolError {
    if (localFiles != null && !RemoteImage.accepts(text)) {
      try {
        return localFiles.read(text);
      } catch (FetchException e) {
        throw new ToolError(ImageErrorCodes.of(e.reason(), false), e.getMessage());
      }
    }
    return read(remoteImage(text, param), param);
  }

  private byte[] read(RemoteImage image, String param) throws ToolError {
    try {
      return loupe.fetcher().read(image).bytes();
    } catch (FetchException e) {
      throw new ToolError(ImageErrorCodes.of(e.reason(), image instanceof RemoteImage.Data), e.getMessage());
    }
  }

  /** An http(s) or data URL, or base64 text as an upload; anything else is refused. */
  private static RemoteImage remoteImage(String text, String param) throws ToolError {
    if (RemoteImage.accepts(text)) {
      try {
        return RemoteImage.parse(text);
      } catch (FetchException e) {
        throw new ToolError(ImageErrorCodes.of(e.reason(), text.strip().regionMatches(true, 0, "data:", 0, 5)),
            e.getMessage());
      }
    }
    if (looksLikeBase64(text)) {
      try {
        return new RemoteImage.Upload(Base64.getMimeDecoder().decode(text.strip().replace('-', '+').replace('_', '/')));
      } catch (IllegalArgumentException e) {
        throw new ToolError("invalid_image", param + " is not valid base64: " + e.getMessage());
      }
    }
    throw new ToolError("invalid_image_url", param + " must be an http(s) URL, a data:image/...;base64 URL or base64;"
        + " local paths and file: URLs are not accepted over HTTP, got: " + shorten(text));
  }

  /** Base64 text, told from a path: only its alphabet, at least 32 characters, no dot, no leading slash. */
  private static boolean looksLikeBase64(String text) {
    String t = text.strip();
    return BASE64.matcher(t).matches() && !t.startsWith("/") && !t.contains(".");
  }

  private static SearchRequest searchRequest(Map<String, Object> args) throws ToolError {
    SearchRequest request = SearchRequest.defaults().withTopK(DEFAULT_TOP_K);
    Object k = args.get("top_k");
    if (k != null) {
      if (!(k instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1
          || n.intValue() > MAX_TOP_K) {
        throw new ToolError("invalid_value", "top_k must be an integer from 1 to " + MAX_TOP_K + ", got: " + k);
      }
      request = request.withTopK(n.intValue());
    }
    Object kinds = args.get("kinds");
    if (kinds != null) {
      if (!(kinds instanceof List<?> list) || list.isEmpty()) {
        throw new ToolError("invalid_value", "kinds must be a non-empty array of exact, near_duplicate, partial, similar");
      }
      Set<MatchKind> set = EnumSet.noneOf(MatchKind.class);
      for (Object kind : list) {
        try {
          set.add(MatchKind.fromWireName(String.valueOf(kind)));
        } catch (IllegalArgumentException e) {
          throw new ToolError("invalid_value", "kinds: " + e.getMessage());
        }
      }
      request = request.withKinds(set);
    }
    Object sort = args.get("sort");
    if (sort != null) {
      try {
        request = request.withSort(SortOrder.fromWireName(String.valueOf(sort)));
      } catch (IllegalArgumentException e) {
        throw new ToolError("invalid_value", "sort: " + e.getMessage());
      }
    }
    return request;
  }

  private static String requiredString(Map<String, Object> args, String name) throws ToolError {
    Object value = args == null ? null : args.get(name);
    if (value == null) {
      throw new ToolError("missing_required_parameter", "Missing " + name + ".");
    }
    if (!(value instanceof String s)) {
      throw new ToolError("invalid_value", name + " must be a string, got: " + shorten(String.valueOf(value)));
    }
    return s;
  }

  private static String optionalString(Map<String, Object> args, String name) throws ToolError {
    Object value = args == null ? null : args.get(name);
    if (value != null && !(value instanceof String)) {
      throw new ToolError("invalid_value", name + " must be a string, got: " + shorten(String.valueOf(value)));
    }
    return (String) value;
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toMap(JsonNode node) {
    return HitJson.MAPPER.convertValue(node, Map.class);
  }

  /** A failure shown to the client as a tool error with the REST API's code and message. */
  static final class ToolError extends Exception {
    private final String code;

    ToolError(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    McpSchema.CallToolResult result() {
      ObjectNode body = HitJson.MAPPER.createObjectNode();
      body.putObject("error").put("code", code).put("message", getMessage());
      String text;
      try {
        text = HitJson.MAPPER.writeValueAsString(body);
      } catch (JsonProcessingException e) {
        text = code + ": " + getMessage();
      }
      return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }
  }
}
