package dev.loupe.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a remote caller may name, and that reading it never touches this machine's files. */
class RemoteImageTest {
  private static final byte[] PNG_HEADER = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

  @Test
  void httpAndDataUrlsAreAccepted() throws Exception {
    assertInstanceOf(RemoteImage.Url.class, RemoteImage.parse("https://img.example.org/a.jpg"));
    assertInstanceOf(RemoteImage.Url.class, RemoteImage.parse("  HTTP://img.example.org/a.jpg "));
    String data = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG_HEADER);
    assertInstanceOf(RemoteImage.Data.class, RemoteImage.parse(data));
    assertTrue(RemoteImage.accepts("Data:image/png;base64,AAAA"));
  }

  @Test
  void pathsFileUrlsBareBase64AndOtherSchemesAreRefusedFromTheText(@TempDir Path dir) throws Exception {
    Path existing = Files.write(dir.resolve("secret.png"), PNG_HEADER);
    String base64 = Base64.getEncoder().encodeToString(new byte[64]);
    for (String text : new String[] {existing.toString(), existing.toUri().toString(), "/etc/passwd",
        "../../etc/passwd", "C:\\Windows\\win.ini", base64, "ftp://example.org/a.png", "javascript:alert(1)", ""}) {
      assertFalse(RemoteImage.accepts(text), text);
      FetchException e = assertThrows(FetchException.class, () -> RemoteImage.parse(text), text);
      assertEquals(FetchException.Reason.BAD_REFERENCE, e.reason());
      assertTrue(e.getMessage().endsWith("not an http(s) or data URL; local paths, file: URLs and bare Base64 are"
          + " not accepted from remote callers"), e.getMessage());
    }
  }

  @Test
  void malformedUrlsAreBadReferences() {
    for (String text : new String[] {"http://", "https://exa mple.org/a.png", "data:image/png;base64"}) {
      FetchException e = assertThrows(FetchException.class, () -> RemoteImage.parse(text), text);
      assertEquals(FetchException.Reason.BAD_REFERENCE, e.reason(), text);
    }
  }

  @Test
  void readingAnUploadOrADataUrlNeedsNoNetworkAndNoFile() throws Exception {
    try (ImageFetcher fetcher = new ImageFetcher(FetchPolicy.defaults())) {
      assertArrayEquals(PNG_HEADER, fetcher.read(new RemoteImage.Upload(PNG_HEADER)).bytes());
      String data = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG_HEADER);
      assertArrayEquals(PNG_HEADER, fetcher.read(RemoteImage.parse(data)).bytes());
      // An http URL is read under the policy: loopback is refused before connecting.
      FetchException e = assertThrows(FetchException.class,
          () -> fetcher.read(RemoteImage.parse("http://127.0.0.1:9/a.png")));
      assertEquals(FetchException.Reason.BLOCKED_ADDRESS, e.reason());
    }
  }
}
