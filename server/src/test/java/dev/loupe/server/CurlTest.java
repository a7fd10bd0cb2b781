package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import dev.loupe.ingest.ImageRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search route as the README's curl examples call it, with the real curl when installed. */
class CurlTest {
  private static final Path CURL = Path.of("/usr/bin/curl");

  @Test
  void multipartAndJsonSearch(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(CURL), "curl is not installed at /usr/bin/curl; skipping the curl checks");
    byte[] jpeg = TestImages.encode(TestImages.scene(640, 480, 11), "jpeg");
    Path query = dir.resolve("query.jpg");
    Files.write(query, jpeg);
    try (Loupe loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")))) {
      String id = loupe.ingestor().add(jpeg, ImageRecord.of("https://example.org/eleven.jpg")).id();
      loupe.index().commit();
      LoupeServer server = new LoupeServer(
          ServerConfig.defaults().withPort(0).withApiKeys(Set.of("sk-test")), loupe, List.of()).start();
      try {
        String url = "http://127.0.0.1:" + server.port() + "/v1/images/search";
        JsonNode multipart = curl(dir, "-F", "file=@" + query, "-F", "top_k=5", url);
        assertEquals(id, multipart.get("results").get(0).get("id").asText());
        assertEquals("https://example.org/eleven.jpg", multipart.get("results").get(0).get("url").asText());

        Path body = dir.resolve("body.json");
        Files.writeString(body, "{\"image_url\":\"data:image/jpeg;base64,"
            + Base64.getEncoder().encodeToString(jpeg) + "\",\"match\":[\"exact\"]}");
        JsonNode json = curl(dir, "-H", "Content-Type: application/json", "--data-binary", "@" + body, url);
        assertEquals("exact", json.get("results").get(0).get("match").asText());
      } finally {
        server.stop();
      }
    }
  }

  private static JsonNode curl(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "--fail-with-body",
        "-H", "Authorization: Bearer sk-test"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertEquals(true, process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), new String(out, StandardCharsets.UTF_8));
    return ServerTestSupport.JSON.readTree(out);
  }
}
