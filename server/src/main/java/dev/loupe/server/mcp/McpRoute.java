package dev.loupe.server.mcp;

import dev.loupe.engine.Loupe;
import dev.loupe.protocol.mcp.LoupeMcp;
import dev.loupe.protocol.mcp.McpServers;
import dev.loupe.server.http.RequestBody;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The Model Context Protocol over streamable HTTP at {@code /mcp} (protocol 2025-06-18 and later),
 * stateless: each {@code POST} carries one JSON-RPC message; a request is answered with its JSON-RPC
 * response as {@code application/json}, a notification or a response with 202. There is no session
 * and no server-to-client stream, so {@code GET} and {@code DELETE} are 405, as the specification
 * allows. The route sits behind the server's API keys like every other; an {@code Origin} that is
 * not this server's (or loopback's) is refused with 403 against DNS rebinding, as the specification
 * asks.
 *
 * <p>The protocol itself is the official MCP Java SDK's stateless server ({@link McpServers}); this
 * class is only the glue between Helidon and its {@link McpStatelessServerTransport}.
 */
public final class McpRoute implements HttpService, McpStatelessServerTransport, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(McpRoute.class);
  private static final List<String> VERSIONS = List.of(ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

  private final String publicBaseUrl;
  private final long maxRequestBytes;
  private final McpJsonMapper mapper = McpServers.jsonMapper();
  private final McpStatelessSyncServer server;
  private volatile McpStatelessServerHandler handler;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param publicBaseUrl the URL clients reach the server at, for links (null: links are relative)
   * @param maxRequestBytes the largest request body taken
   * @param version the version the server announces
   * @param writable whether {@code add_image} is offered
   */
  public McpRoute(Loupe loupe, String publicBaseUrl, long maxRequestBytes, String version, boolean writable) {
    this.publicBaseUrl = publicBaseUrl;
    this.maxRequestBytes = maxRequestBytes;
    String base = publicBaseUrl != null ? publicBaseUrl : "";
    this.server = McpServers.stateless(LoupeMcp.overHttp(loupe, base, writable), this, mapper, version);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.post("/mcp", this::post)
        .any("/mcp", (request, response) -> {
          // Stateless: no server-sent stream to open (GET) and no session to end (DELETE).
          response.status(Status.METHOD_NOT_ALLOWED_405).header(HeaderNames.ALLOW, "POST");
          sendError(response, null, McpSchema.ErrorCodes.INVALID_REQUEST,
              "This MCP endpoint is stateless: send each JSON-RPC message with POST.");
        });
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public List<String> protocolVersions() {
    return VERSIONS;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.empty();
  }

  /**
   * Closes the MCP server; the SDK's server calls this again as its transport's close, which then
   * does nothing.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
    }
  }

  private void post(ServerRequest request, ServerResponse response) throws IOException {
    String origin = request.headers().first(HeaderNames.ORIGIN).orElse(null);
    if (origin != null && !allowedOrigin(origin)) {
      response.status(Status.FORBIDDEN_403);
      sendError(response, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Origin " + shorten(origin)
          + " may not call this server's MCP endpoint.");
      return;
    }
    String version = request.headers().first(HeaderNames.create("MCP-Protocol-Version")).orElse(null);
    if (version != null && !VERSIONS.contains(version) && !version.equals(ProtocolVersions.MCP_2025_03_26)) {
      response.status(Status.BAD_REQUEST_400);
      sendError(response, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Unsupported MCP-Protocol-Version "
          + shorten(version) + "; this server speaks " + String.join(", ", VERSIONS) + ".");
      return;
    }
    String body = new String(RequestBody.read(request, maxRequestBytes), StandardCharsets.UTF_8);
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(mapper, body);
    } catch (IOException | RuntimeException e) {
      response.status(Status.BAD_REQUEST_400);
      sendError(response, null, McpSchema.ErrorCodes.PARSE_ERROR, "Not a JSON-RPC 2.0 message: "
          + shorten(e.getMessage() == null ? e.toString() : e.getMessage()));
      return;
    }
    McpTransportContext context = McpTransportContext.create(Map.of());
    switch (message) {
      case McpSchema.JSONRPCRequest call -> {
        McpSchema.JSONRPCResponse answer;
        try {
          answer = handler.handleRequest(context, call).block();
        } catch (RuntimeException e) {
          LOG.warn("MCP request {} failed", call.method(), e);
          response.status(Status.INTERNAL_SERVER_ERROR_500);
          sendError(response, call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The request failed; see the server's log.");
          return;
        }
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.send(mapper.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8));
      }
      case McpSchema.JSONRPCNotification notification -> {
        try {
          handler.handleNotification(context, notification).block();
        } catch (RuntimeException e) {
          LOG.warn("MCP notification {} failed", notification.method(), e);
        }
        response.status(Status.ACCEPTED_202).send();
      }
      default -> response.status(Status.ACCEPTED_202).send(); // a client's response: nothing was asked
    }
  }

  /** Loopback, or the host of the configured public URL. */
  private boolean allowedOrigin(String origin) {
    String host;
    try {
      host = URI.create(origin.strip()).getHost();
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1")) {
      return true;
    }
    return publicBaseUrl != null && host.equalsIgnoreCase(URI.create(publicBaseUrl).getHost());
  }

  /**
   * A JSON-RPC error, written by hand: the SDK's response type refuses a null id, which JSON-RPC
   * requires when the request's id could not be read.
   */
  private static void sendError(ServerResponse response, Object id, int code, String message) {
    var body = dev.loupe.tools.HitJson.MAPPER.createObjectNode().put("jsonrpc", "2.0");
    switch (id) {
      case null -> body.putNull("id");
      case Number n -> body.put("id", n.longValue());
      default -> body.put("id", id.toString());
    }
    body.putObject("error").put("code", code).put("message", message);
    response.header(HeaderNames.CONTENT_TYPE, "application/json");
    response.send(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
