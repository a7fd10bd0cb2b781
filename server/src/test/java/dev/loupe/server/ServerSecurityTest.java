package dev.loupe.server;

import dev.loupe.server.http.ServerConfig;
import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.get;
import static dev.loupe.server.ServerTestSupport.send;
import static dev.loupe.server.ServerTestSupport.uri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Keys, the refusal to listen openly without them, and the body cap. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerSecurityTest {
  Loupe loupe;

  @BeforeAll
  void open(@TempDir Path dir) throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir));
  }

  @AfterAll
  void close() throws Exception {
    loupe.close();
  }

  @Test
  void refusesToListenOnAllAddressesWithoutKeys() {
    var e = assertThrows(IllegalStateException.class,
        () -> new LoupeServer(ServerConfig.defaults().withHost("0.0.0.0").withPort(0), loupe, List.of()));
    assertEquals("Refusing to listen on 0.0.0.0 without API keys: anyone who can reach it could search, add and"
        + " delete images. Add a key with loupe keys add NAME, set LOUPE_API_KEYS or give a keys file, listen on"
        + " 127.0.0.1, or accept the risk with --insecure.", e.getMessage());
    // Either escape hatch is accepted.
    new LoupeServer(ServerConfig.defaults().withHost("0.0.0.0").withPort(0).withInsecure(true), loupe, List.of());
    new LoupeServer(ServerConfig.defaults().withHost("0.0.0.0").withPort(0).withApiKeys(Set.of("k")), loupe, List.of());
  }

  @Test
  void bearerKeys() throws Exception {
    LoupeServer server = new LoupeServer(
        ServerConfig.defaults().withPort(0).withApiKeys(Set.of("key-one", "key-two")), loupe, List.of()).start();
    try {
      assertEquals(200, get(server, "/healthz").statusCode());
      assertEquals("You didn't provide an API key. Send it in the Authorization header as 'Bearer <key>'.",
          assertError(get(server, "/v1/models"), 401, "invalid_api_key", null));
      assertEquals("Incorrect API key provided.", assertError(send(HttpRequest.newBuilder(uri(server, "/v1/models"))
          .header("Authorization", "Bearer key-three")), 401, "invalid_api_key", null));
      assertEquals("Malformed Authorization header: expected 'Bearer <key>'.", assertError(send(HttpRequest
          .newBuilder(uri(server, "/v1/models")).header("Authorization", "Basic a2V5")), 401, "invalid_api_key", null));
      // Unknown routes are not revealed to callers without a key.
      assertError(get(server, "/nothing"), 401, "invalid_api_key", null);
      assertEquals(200, send(HttpRequest.newBuilder(uri(server, "/v1/models"))
          .header("Authorization", "Bearer key-two")).statusCode());
      assertEquals(200, send(HttpRequest.newBuilder(uri(server, "/v1/models"))
          .header("Authorization", "bearer key-one")).statusCode());
    } finally {
      server.stop();
    }
  }

  @Test
  void withoutKeysEveryRouteIsOpen() throws Exception {
    LoupeServer server = new LoupeServer(ServerConfig.defaults().withPort(0), loupe, List.of()).start();
    try {
      assertEquals(200, get(server, "/v1/models").statusCode());
    } finally {
      server.stop();
    }
  }

  @Test
  void bodyOverTheCapIs413() throws Exception {
    LoupeServer server = new LoupeServer(
        ServerConfig.defaults().withPort(0).withMaxRequestBytes(64 * 1024), loupe, List.of()).start();
    try {
      String body = "{\"image_url\":\"data:image/jpeg;base64," + "A".repeat(70 * 1024) + "\"}";
      String message = assertError(ServerTestSupport.postJson(server, "/v1/images/search", body), 413,
          "request_too_large", null);
      assertEquals("The request body is larger than the server accepts: at most 65536 bytes, got: "
          + body.length() + ".", message);
    } finally {
      server.stop();
    }
  }

  @Test
  void keysFromEnvironmentAndFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, "# operators\nfile-key\n\n  other-key  \n");
    assertEquals(Set.of("a", "b", "file-key", "other-key"),
        ApiKeys.load(Map.of(ApiKeys.ENV, "a, b,,"), file));
    assertEquals(Set.of(), ApiKeys.load(Map.of(), null));
    Files.writeString(file, "\n# none\n");
    assertThrows(java.io.IOException.class, () -> ApiKeys.load(Map.of(), file));
  }
}
