package dev.loupe.app;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.protocol.mcp.LoupeMcp;
import dev.loupe.protocol.mcp.McpServers;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code loupe mcp}: the collection as a Model Context Protocol server over stdio, for a local MCP
 * client (a desktop assistant, an IDE agent) that starts it. Standard output carries the protocol's
 * messages only: anything else Loupe or a library would print goes to standard error.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true, header = "Serve the collection to an MCP client over stdio.",
    description = {"Serve the collection to a Model Context Protocol client over stdio: the client starts",
        "`loupe mcp --data DIR` and talks JSON-RPC on its standard input and output. Tools: image_search",
        "(an image by URL, data URL, base64 or local path), text_search (with a text-capable model),",
        "get_image, collection_stats; resource loupe://image/{id}; prompt trace_origin. Runs until the",
        "client closes the input. While `loupe serve` holds the data directory, use its /mcp endpoint."})
final class McpCommand implements Callable<Integer> {
  /** How long requests sent before the input ended may still take to be answered. */
  static final long ANSWER_SECONDS = 120;

  @Mixin DataDirOption data;
  @Mixin ModelOption model;

  @Override
  public Integer call() throws Exception {
    LoupeConfig config = data.existingConfig();
    // The protocol owns standard output: keep its stream, and send every other print to stderr.
    JsonRpcLines lines = new JsonRpcLines(ANSWER_SECONDS);
    PrintStream protocolOut = new PrintStream(lines.writing(new FileOutputStream(FileDescriptor.out)), true);
    System.setOut(System.err);
    try (Loupe loupe = Loupe.open(config, model.dir())) {
      LoupeMcp mcp = LoupeMcp.overStdio(loupe, location -> loupe.fetcher().readLocation(location).bytes());
      var mapper = McpServers.jsonMapper();
      StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, lines.reading(System.in),
          protocolOut);
      McpSyncServer server = McpServers.stdio(mcp, transport, mapper, BuildInfo.load().version());
      try {
        // The client ends the session by closing our standard input; what it asked before is answered.
        lines.awaitEnd();
      } finally {
        server.closeGracefully();
      }
    }
    return 0;
  }
}
