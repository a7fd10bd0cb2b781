package dev.loupe.server;

import static dev.loupe.server.ServerTestSupport.assertError;
import static dev.loupe.server.ServerTestSupport.postMultipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import dev.loupe.image.TestImages;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Uploads built to hurt: metadata bombs. Each through HTTP against a real server. */
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
}
