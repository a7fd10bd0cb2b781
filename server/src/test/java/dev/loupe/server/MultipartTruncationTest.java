package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.CLIENT;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multipart upload cut short anywhere is a clear 400, never a 500 or a half-added image: the
 * add route gets every cut of one real request body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultipartTruncationTest {
  private static final String BOUNDARY = "cut-test-boundary";
  private Loupe loupe;
  private LoupeServer server;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    loupe.close();
  }

  @Test
  void everyCutIsRefusedAndNothingIsAdded() throws Exception {
    byte[] image = TestImages.encode(TestImages.scene(200, 150, 3), "jpeg");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nA scene\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.jpg\"\r\n"
        + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(image);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    byte[] whole = body.toByteArray();

    // Every byte of the headers and the end, every 37th byte of the image data.
    int headerEnd = whole.length - image.length - BOUNDARY.length() - 8;
    for (int cut = 0; cut < whole.length - 2; cut += (cut < 200 || cut > headerEnd ? 1 : 37)) {
      HttpResponse<byte[]> response = post(Arrays.copyOf(whole, cut));
      String text = new String(response.body(), StandardCharsets.UTF_8);
      assertEquals(400, response.statusCode(), "cut at " + cut + ": " + text);
      String code = json(response).get("error").get("code").asText();
      assertTrue(code.equals("invalid_multipart") || code.equals("missing_required_parameter")
          || code.startsWith("invalid_image") || code.equals("image_format_unsupported"),
          "cut at " + cut + ": " + text);
    }
    assertEquals(0, loupe.index().stats().images(), "no cut added anything");
    HttpResponse<byte[]> full = post(whole);
    assertEquals(200, full.statusCode(), new String(full.body(), StandardCharsets.UTF_8));
    assertEquals(1, loupe.index().stats().images());
  }

  private HttpResponse<byte[]> post(byte[] body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(uri(server, "/v1/images"))
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
