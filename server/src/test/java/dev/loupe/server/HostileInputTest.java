package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.json;
import static dev.loupe.server.ServerTestSupport.postJson;
import static dev.loupe.server.ServerTestSupport.postMultipart;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests built to hurt: metadata bombs, ambiguous numeric hosts, forged Host headers, missing keys.
 * Each through HTTP against a real server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  Loupe loupe;
  LoupeServer server;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir));
    server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    loupe.close();
  }

  @Test
  void zTxtBombIsA400BeforeAnyInflation() throws Exception {
    // 2 MB on the wire, 2 GiB once inflated.
    byte[] bomb = TestImages.pngWithInflatingChunk("zTXt", 64, 64, 2048);
    postMultipart(server, "/v1/images/search", Map.of(), bomb); // warms the route and the client up
    long start = System.nanoTime();

    HttpResponse<byte[]> response = postMultipart(server, "/v1/images/search", Map.of(), bomb);

    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals("image metadata (text, EXIF, XMP, ICC) exceeds 4194304 bytes at the png zTXt chunk;"
        + " at most 4194304 bytes are allowed", assertError(response, 400, "image_parse_error", "file"));
    // A loose bound on a shared machine, warm; inflating the whole chunk took 22 s before the cap.
    assertTrue(millis < 1000, "answered in " + millis + " ms");
  }

  @Test
  void ambiguousNumericHostIsRefusedBeforeAnyConnection() throws Exception {
    HttpResponse<byte[]> response = postJson(server, "/v1/images/search",
        "{\"image_url\":\"http://0177.0.0.1:1/cat.jpg\"}");

    assertEquals("http://0177.0.0.1:1/cat.jpg: ambiguous numeric host 0177.0.0.1; write an IPv4 address"
        + " as four decimal numbers 0-255 without leading zeros (like 192.0.2.1), or use a host name",
        assertError(response, 400, "invalid_image_url", "image_url"));
  }

  @Test
  void linksNeverComeFromTheHostHeader() throws Exception {
    String id = json(postMultipart(server, "/v1/images", Map.of(), ImageRoutesTest.jpeg(41))).get("id").asText();

    String forged = rawGet(server.port(), "/v1/images/" + id, "evil.example");

    assertTrue(forged.startsWith("HTTP/1.1 200 OK\r\n"), forged);
    assertTrue(forged.contains("\"thumbnail_url\":\"/v1/images/" + id + "/thumbnail\""), forged);
    assertFalse(forged.contains("evil.example"), forged);

    LoupeServer proxied = new LoupeServer(ServerConfig.defaults().withPort(0)
        .withPublicBaseUrl("https://images.example.org/loupe/"), loupe, List.of()).start();
    try {
      String configured = rawGet(proxied.port(), "/v1/images/" + id, "evil.example");
      assertTrue(configured.contains("\"thumbnail_url\":\"https://images.example.org/loupe/v1/images/" + id
          + "/thumbnail\""), configured);
    } finally {
      proxied.stop();
    }
  }

  @Test
  void every401NamesTheBearerScheme() throws Exception {
    LoupeServer keyed = new LoupeServer(ServerConfig.defaults().withPort(0).withApiKeys(Set.of("key-one")),
        loupe, List.of()).start();
    try {
      HttpResponse<byte[]> missing = get(keyed, "/v1/models");
      HttpResponse<byte[]> malformed = send(HttpRequest.newBuilder(uri(keyed, "/v1/models"))
          .header("Authorization", "Basic a2V5"));
      HttpResponse<byte[]> wrong = send(HttpRequest.newBuilder(uri(keyed, "/v1/images/search"))
          .header("Authorization", "Bearer key-two").POST(HttpRequest.BodyPublishers.ofString("{}")));

      assertEquals("You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>'.",
          assertError(missing, 401, "invalid_api_key", null));
      assertEquals("Bearer realm=\"loupe\"", missing.headers().firstValue("www-authenticate").orElse(null));
      assertEquals("Malformed Authorization header: expected 'Bearer <key>'.",
          assertError(malformed, 401, "invalid_api_key", null));
      assertEquals("Bearer realm=\"loupe\", error=\"invalid_request\"",
          malformed.headers().firstValue("www-authenticate").orElse(null));
      assertEquals("Incorrect API key provided.", assertError(wrong, 401, "invalid_api_key", null));
      assertEquals("Bearer realm=\"loupe\", error=\"invalid_token\"",
          wrong.headers().firstValue("www-authenticate").orElse(null));
    } finally {
      keyed.stop();
    }
  }

  /** HTTP/1.1 by hand: the JDK client refuses to send a Host header of the caller's choosing. */
  static String rawGet(int port, String path, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // Read the head, then exactly Content-Length bytes: the server may keep the connection open.
      var in = new java.io.DataInputStream(socket.getInputStream());
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      int length = Integer.parseInt(head.toString().toLowerCase(java.util.Locale.ROOT)
          .replaceAll("(?s).*\r\ncontent-length: *([0-9]+)\r\n.*", "$1"));
      return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }
}
