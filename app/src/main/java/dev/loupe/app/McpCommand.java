package dev.loupe.app;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.protocol.mcp.LoupeMcp;
import dev.loupe.protocol.mcp.McpServers;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
  @Mixin DataDirOption data;
  @Mixin ModelOption model;

  @Override
  public Integer call() throws Exception {
    LoupeConfig config = data.existingConfig();
    // The protocol owns standard output: keep its stream, and send every other print to stderr.
    PrintStream protocolOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    System.setOut(System.err);
    try (Loupe loupe = Loupe.open(config, model.dir())) {
      LoupeMcp mcp = LoupeMcp.overStdio(loupe, location -> loupe.fetcher().readLocation(location).bytes());
      var mapper = McpServers.jsonMapper();
      // The client ends the session by closing our standard input: then stop.
      CountDownLatch closed = new CountDownLatch(1);
      InputStream in = new FilterInputStream(System.in) {
        @Override
        public int read() throws IOException {
          return ended(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return ended(super.read(b, off, len));
        }

        private int ended(int n) {
          if (n < 0) {
            closed.countDown();
          }
          return n;
        }
      };
      StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, in, protocolOut);
      McpSyncServer server = McpServers.stdio(mcp, transport, mapper, BuildInfo.load().version());
      try {
        closed.await();
      } finally {
        server.closeGracefully();
      }
    }
    return 0;
  }
}
