package dev.loupe.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loupe.fetch.FetchException.Reason;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageReferenceTest {
  @TempDir Path dir;

  @Test
  void urls() throws FetchException {
    assertEquals(new ImageReference.RemoteUrl(URI.create("https://example.com/a.jpg?x=1")),
        ImageReference.parse("  https://example.com/a.jpg?x=1 "));
    assertEquals(new ImageReference.RemoteUrl(URI.create("HTTP://example.com/")),
        ImageReference.parse("HTTP://example.com/"));
  }

  @Test
  void dataUrls() throws FetchException {
    assertEquals(new ImageReference.DataUrl("image/png", true, "iVBO"),
        ImageReference.parse("data:image/PNG;base64,iVBO"));
    assertEquals(new ImageReference.DataUrl("image/svg+xml", false, "%3Csvg"),
        ImageReference.parse("data:image/svg+xml;charset=utf-8,%3Csvg"));
    assertEquals(new ImageReference.DataUrl("", false, ""), ImageReference.parse("data:,"));
  }

  @Test
  void pathsAndFileUrls() throws Exception {
    Path file = Files.write(dir.resolve("a.jpg"), new byte[1]);

    assertEquals(new ImageReference.LocalFile(file), ImageReference.parse(file.toString()));
    assertEquals(new ImageReference.LocalFile(file), ImageReference.parse(file.toUri().toString()));
    assertEquals(new ImageReference.LocalFile(Path.of("photos/cat.jpg")),
        ImageReference.parse("photos/cat.jpg"));
    // Base64-looking but an existing file: the file wins.
    Path odd = Files.write(dir.resolve("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0"), new byte[1]);
    assertEquals(new ImageReference.LocalFile(odd), ImageReference.parse(odd.toString()));
  }

  @Test
  void base64() throws FetchException {
    String text = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";
    assertEquals(new ImageReference.Base64Data(text), ImageReference.parse(text));
    // Too short to be an image: a relative path.
    assertInstanceOf(ImageReference.LocalFile.class, ImageReference.parse("abcd"));
  }

  @Test
  void otherSchemesAreRefused() {
    assertBad("ftp://example.com/a.jpg: unsupported scheme ftp: (use http, https, data or a local path)",
        "ftp://example.com/a.jpg");
    assertBad("javascript:alert(1): unsupported scheme javascript: (use http, https, data or a local path)",
        "javascript:alert(1)");
    assertBad("http:///a.jpg: URL has no host", "http:///a.jpg");
    assertBad("http://exa mple.com/: not a valid URL (Illegal character in authority at index 10)",
        "http://exa mple.com/");
    assertBad("image location is empty", "  ");
  }

  private static void assertBad(String message, String location) {
    FetchException e = assertThrows(FetchException.class, () -> ImageReference.parse(location));
    assertEquals(message, e.getMessage());
    assertEquals(Reason.BAD_REFERENCE, e.reason());
  }
}
