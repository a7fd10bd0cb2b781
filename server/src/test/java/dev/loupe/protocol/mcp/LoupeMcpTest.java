package dev.loupe.protocol.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.embed.TinyModels;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.ingest.DirectorySource;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools' offer and text search, with the tiny colour model in a real ONNX Runtime session. */
class LoupeMcpTest {
  @TempDir Path dir;

  private static List<String> names(LoupeMcp mcp) {
    return mcp.tools().stream().map(t -> t.tool().name()).sorted().toList();
  }

  @SuppressWarnings("unchecked")
  @Test
  void textSearchIsOfferedWithATextModelAndFindsByWords() throws Exception {
    Path photos = TinyModels.colourPictures(dir.resolve("photos"), 3);
    try (Loupe withModel = Loupe.open(LoupeConfig.defaults(dir.resolve("data")), TinyModels.colour());
        Loupe without = Loupe.open(LoupeConfig.defaults(dir.resolve("plain")))) {
      withModel.ingestor().run(DirectorySource.scan(photos), p -> { });
      LoupeMcp mcp = LoupeMcp.overHttp(withModel, "https://loupe.example", true);
      assertEquals(List.of("add_image", "collection_stats", "get_image", "image_search", "text_search"), names(mcp));
      assertEquals(List.of("collection_stats", "get_image", "image_search"),
          names(LoupeMcp.overStdio(without, location -> new byte[0])), "no text tool without a text model");

      McpSchema.CallToolResult red = mcp.textSearch(Map.of("text", "red", "top_k", 3));
      assertFalse(Boolean.TRUE.equals(red.isError()), String.valueOf(red.content()));
      List<Map<String, Object>> hits = (List<Map<String, Object>>) ((Map<String, Object>) red.structuredContent()).get("results");
      assertEquals(List.of("red-0", "red-1", "red-2"), hits.stream().map(h -> (String) h.get("title")).sorted().toList());
      assertTrue(hits.stream().allMatch(h -> h.get("url").toString().startsWith("https://loupe.example/v1/images/")),
          "local files link to their content under the public URL: " + hits);

      McpSchema.CallToolResult blank = mcp.textSearch(Map.of("text", " "));
      assertTrue(blank.isError());
      McpSchema.CallToolResult wrongType = mcp.textSearch(Map.of("text", 42));
      assertTrue(wrongType.isError());
      assertTrue(((McpSchema.TextContent) wrongType.content().getFirst()).text().contains("text must be a string"));
    }
  }
}
