package dev.loupe.protocol.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Mounts {@link LoupeMcp} on the official MCP Java SDK's servers: a stateless one for streamable
 * HTTP (each POST answered on its own, no session), a single-session one for stdio. Both announce
 * tools, resources (the {@code loupe://image/{id}} template) and prompts.
 */
public final class McpServers {
  private McpServers() {}

  /** The JSON mapper both transports use (Jackson 2, the project's). */
  public static McpJsonMapper jsonMapper() {
    return new JacksonMcpJsonMapper(new ObjectMapper());
  }

  private static McpSchema.ServerCapabilities capabilities() {
    return McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build();
  }

  /** A stateless server for streamable HTTP over {@code transport}. */
  public static McpStatelessSyncServer stateless(LoupeMcp mcp, McpStatelessServerTransport transport,
      McpJsonMapper mapper, String version) {
    var spec = McpServer.sync(transport).serverInfo(LoupeMcp.NAME, version).instructions(LoupeMcp.INSTRUCTIONS)
        .jsonMapper(mapper).capabilities(capabilities());
    for (LoupeMcp.ToolDef tool : mcp.tools()) {
      spec.toolCall(tool.tool(), (context, request) -> tool.call().apply(arguments(request)));
    }
    spec.resourceTemplates(new McpStatelessServerFeatures.SyncResourceTemplateSpecification(LoupeMcp.IMAGE_RESOURCE,
        (context, request) -> protocolErrors(() -> mcp.readImageResource(request.uri()))));
    spec.prompts(new McpStatelessServerFeatures.SyncPromptSpecification(LoupeMcp.TRACE_ORIGIN,
        (context, request) -> protocolErrors(() -> mcp.traceOrigin(request.arguments()))));
    return spec.build();
  }

  /** A server for one client over {@code transport} (stdio). */
  public static McpSyncServer stdio(LoupeMcp mcp, McpServerTransportProvider transport, McpJsonMapper mapper,
      String version) {
    var spec = McpServer.sync(transport).serverInfo(LoupeMcp.NAME, version).instructions(LoupeMcp.INSTRUCTIONS)
        .jsonMapper(mapper).capabilities(capabilities());
    for (LoupeMcp.ToolDef tool : mcp.tools()) {
      spec.toolCall(tool.tool(), (exchange, request) -> tool.call().apply(arguments(request)));
    }
    spec.resourceTemplates(new McpServerFeatures.SyncResourceTemplateSpecification(LoupeMcp.IMAGE_RESOURCE,
        (exchange, request) -> protocolErrors(() -> mcp.readImageResource(request.uri()))));
    spec.prompts(new McpServerFeatures.SyncPromptSpecification(LoupeMcp.TRACE_ORIGIN,
        (exchange, request) -> protocolErrors(() -> mcp.traceOrigin(request.arguments()))));
    return spec.build();
  }

  private static Map<String, Object> arguments(McpSchema.CallToolRequest request) {
    return request.arguments() == null ? Map.of() : request.arguments();
  }

  /** A bad resource URI or prompt argument is the protocol's invalid-params error, with Loupe's message. */
  private static <T> T protocolErrors(Supplier<T> call) {
    try {
      return call.get();
    } catch (IllegalArgumentException e) {
      throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(e.getMessage()).build();
    } catch (IllegalStateException e) {
      throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(e.getMessage()).build();
    }
  }
}
