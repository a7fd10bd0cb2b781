package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static dev.loupe.server.ServerTestSupport.postMultipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same picture uploaded under different titles or pages keeps one occurrence for each. */
class UploadOccurrencesTest {
  @TempDir Path dir;

  @Test
  void eachTitleAndPageIsItsOwnOccurrence() throws Exception {
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
      try {
        byte[] image = ImageRoutesTest.jpeg(7);
        JsonNode first = json(postMultipart(server, "/v1/images",
            Map.of("title", "Harbour", "page_url", "https://a.example/harbour"), image));
        assertEquals("new_image", first.get("outcome").asText());
        String id = first.get("id").asText();
        assertEquals("new_occurrence", json(postMultipart(server, "/v1/images",
            Map.of("title", "Port at night", "page_url", "https://b.example/port"), image)).get("outcome").asText());
        assertEquals("new_occurrence", json(postJson(server, "/v1/images", "{\"image_url\": \""
            + ImageRoutesTest.dataUrl(image) + "\", \"title\": \"Harbour\", \"page_url\": \"https://c.example/\"}"))
            .get("outcome").asText());
        // The same title and page again: the same occurrence, seen again.
        assertEquals("seen_again", json(postMultipart(server, "/v1/images",
            Map.of("title", "Port at night", "page_url", "https://b.example/port"), image)).get("outcome").asText());

        JsonNode occurrences = json(get(server, "/v1/images/" + id)).get("occurrences");
        List<String> seen = new ArrayList<>();
        for (JsonNode o : occurrences) {
          seen.add(o.get("title").asText() + " @ " + o.get("page_url").asText());
        }
        assertEquals(List.of("Harbour @ https://a.example/harbour", "Port at night @ https://b.example/port",
            "Harbour @ https://c.example/"), seen);
        // Each kept its own dates: seen again moved only the second occurrence's last sighting.
        Instant firstLast = Instant.parse(occurrences.get(0).get("last_seen").asText());
        Instant secondFirst = Instant.parse(occurrences.get(1).get("first_seen").asText());
        Instant secondLast = Instant.parse(occurrences.get(1).get("last_seen").asText());
        assertTrue(!firstLast.isAfter(secondFirst), occurrences.toString());
        assertTrue(secondLast.isAfter(secondFirst), occurrences.toString());
      } finally {
        server.stop();
      }
    }
  }
}
