package dev.loupe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.FetchPolicy;
import dev.loupe.image.ImageRejected;
import dev.loupe.image.TestImages;
import dev.loupe.index.IndexStats;
import dev.loupe.ingest.ImageRecord;
import dev.loupe.search.SearchHit;
import dev.loupe.search.SearchRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input, through the engine's two doors (ingest and search): each gets its
 * precise message, and the index keeps exactly what it had.
 */
class HostileInputTest {
  @TempDir Path dir;
  private Loupe loupe;
  private byte[] good;
  private IndexStats before;

  @BeforeEach
  void indexOneGoodImage() throws Exception {
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")));
    good = TestImages.encode(TestImages.scene(640, 480, 1), "jpeg");
    loupe.ingestor().add(good, ImageRecord.of("/photos/good.jpg"));
    loupe.index().commit();
    before = loupe.index().stats();
  }

  @AfterEach
  void close() throws Exception {
    loupe.close();
  }

  private void assertRefused(String message, byte[] bytes) throws Exception {
    ImageRejected onIngest = assertThrows(ImageRejected.class,
        () -> loupe.ingestor().add(bytes, ImageRecord.of("/photos/bad.jpg")));
    assertEquals(message, onIngest.getMessage());
    ImageRejected onSearch = assertThrows(ImageRejected.class, () -> loupe.search(bytes, SearchRequest.defaults()));
    assertEquals(message, onSearch.getMessage());
    assertIndexIntact();
  }

  private void assertIndexIntact() throws IOException, ImageRejected {
    IndexStats now = loupe.index().stats();
    assertEquals(before.images(), now.images());
    assertEquals(before.occurrences(), now.occurrences());
    assertTrue(!loupe.index().hasSource("/photos/bad.jpg"));
    List<SearchHit> hits = loupe.search(good, SearchRequest.defaults());
    assertEquals("exact", hits.getFirst().match().wireName());
  }

  @Test
  void zeroBytes() throws Exception {
    assertRefused("image data is empty", new byte[0]);
  }

  @Test
  void textFileNamedJpg() throws Exception {
    assertRefused("unsupported format: not a recognised image (starts with 48 65 6c 6c 6f)", "Hello".getBytes());
  }

  @Test
  void tinyImage() throws Exception {
    assertRefused("image is 5x5 pixels; each side must be more than 10 pixels",
        TestImages.encode(TestImages.redBlue(5, 5), "png"));
  }

  @Test
  void extremeAspectRatio() throws Exception {
    assertRefused("image aspect ratio is 2000.0:1 (4000x2); at most 200:1 is allowed",
        TestImages.encode(TestImages.redBlue(4000, 2), "png"));
  }

  @Test
  void pngHeaderClaimingTenGigapixels() throws Exception {
    assertRefused("image is 100000x100000 (10000000000 pixels); at most 100000000 pixels are allowed",
        TestImages.pngHeaderOnly(100_000, 100_000));
  }

  @Test
  void twelveMegabyteFile() throws Exception {
    byte[] big = Arrays.copyOf(good, 12 << 20);
    assertRefused("image is 12582912 bytes; at most 10485760 bytes are allowed", big);
  }

  @Test
  void truncatedJpegAtManyOffsets() throws Exception {
    // Every 97th cut plus the last bytes: each is refused as malformed, none reaches the index.
    for (int cut = 1; cut < good.length - 2; cut += (cut > good.length - 64 ? 1 : 97)) {
      byte[] cutJpeg = Arrays.copyOf(good, cut);
      ImageRejected e = assertThrows(ImageRejected.class,
          () -> loupe.ingestor().add(cutJpeg, ImageRecord.of("/photos/bad.jpg")), "cut at " + cut);
      assertTrue(e.getMessage().startsWith("malformed jpeg") || e.getMessage().startsWith("unsupported format"),
          "cut at " + cut + ": " + e.getMessage());
    }
    assertIndexIntact();
  }

  @Test
  void unreachableUrl() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/photo.jpg";
    Loupe open = reopenWith(FetchPolicy.defaults().withPrivateAddressesAllowed());
    FetchException e = assertThrows(FetchException.class, () -> open.searchLocation(url, SearchRequest.defaults()));
    assertEquals(FetchException.Reason.UNREACHABLE, e.reason());
    assertTrue(e.getMessage().startsWith(url + ": "), e.getMessage());
    assertThrows(FetchException.class, () -> open.ingestor().add(ImageRecord.of(url)));
    assertEquals(before.images(), open.index().stats().images());
  }

  @Test
  void redirectToLoopbackIsRefused() throws Exception {
    // A "public" server (127.0.0.2, allowed by address) that redirects to 127.0.0.1, which is not.
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://127.0.0.1:9/secret.jpg");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.start();
    Loupe open = reopenWith(FetchPolicy.defaults().withAllowedAddresses(List.of("127.0.0.2")));
    try {
      String url = "http://127.0.0.2:" + server.getAddress().getPort() + "/photo.jpg";
      FetchException e = assertThrows(FetchException.class, () -> open.searchLocation(url, SearchRequest.defaults()));
      assertEquals(FetchException.Reason.BLOCKED_ADDRESS, e.reason());
      assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
      assertThrows(FetchException.class, () -> open.ingestor().add(ImageRecord.of(url)));
      assertEquals(before.images(), open.index().stats().images());
    } finally {
      server.stop(0);
    }
  }

  /** Closes the engine and opens it again on the same data with another fetch policy. */
  private Loupe reopenWith(FetchPolicy policy) throws IOException {
    loupe.close();
    loupe = Loupe.open(LoupeConfig.defaults(dir.resolve("data")).withFetchPolicy(policy));
    return loupe;
  }
}
