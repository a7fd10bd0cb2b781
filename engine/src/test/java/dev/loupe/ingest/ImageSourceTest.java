package dev.loupe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourceTest {
  @TempDir Path dir;

  private static List<ImageRecord> list(ImageSource source) {
    List<ImageRecord> out = new ArrayList<>();
    source.forEach(out::add);
    return out;
  }

  @Test
  void folderIsWalkedInPathOrderWithSidecarTitles() throws IOException {
    Files.createDirectories(dir.resolve("b/nested"));
    Files.createDirectories(dir.resolve(".hidden"));
    Files.write(dir.resolve("b/nested/z.PNG"), new byte[] {1});
    Files.write(dir.resolve("a.jpg"), new byte[] {1});
    Files.writeString(dir.resolve("a.txt"), "\n  Stone bridge at dawn  \nsecond line\n");
    Files.write(dir.resolve("c.webp"), new byte[] {1});
    Files.writeString(dir.resolve("c.json"),
        "{\"title\": \"Ink landscape\", \"page_url\": \"https://gallery.example/ink\", \"first_seen\": \"2024-04-03T10:00:00Z\"}");
    Files.write(dir.resolve("d.gif"), new byte[] {1});
    Files.writeString(dir.resolve("d.gif.txt"), "Animated title");
    Files.write(dir.resolve("e.jpeg"), new byte[] {1});
    Files.writeString(dir.resolve("e.json"), "{not json");
    Files.writeString(dir.resolve("notes.md"), "not an image");
    Files.write(dir.resolve(".hidden/x.jpg"), new byte[] {1});

    ImageSource source = ImageSource.forLocation(dir.toString());
    List<ImageRecord> records = list(source);
    assertEquals(5, source.size());
    assertEquals(List.of("a.jpg", "b/nested/z.PNG", "c.webp", "d.gif", "e.jpeg"),
        records.stream().map(r -> dir.relativize(Path.of(r.location())).toString()).toList());
    assertEquals("Stone bridge at dawn", records.get(0).titleOrFileName());
    assertEquals("z", records.get(1).titleOrFileName(), "no sidecar: file name");
    assertEquals("Ink landscape", records.get(2).titleOrFileName());
    assertEquals("https://gallery.example/ink", records.get(2).pageUrl());
    assertEquals(Instant.parse("2024-04-03T10:00:00Z"), records.get(2).firstSeen());
    assertEquals("Animated title", records.get(3).titleOrFileName());
    assertEquals("e", records.get(4).titleOrFileName(), "malformed JSON sidecar is ignored");
    assertNull(records.get(0).url(), "local files have no URL");
  }

  @Test
  void plainListOfUrls() throws IOException {
    Path list = dir.resolve("urls.txt");
    Files.writeString(list, "# my images\nhttps://img.example/a.jpg\n\nhttps://img.example/b.png?size=large\n");
    List<ImageRecord> records = list(ImageSource.forLocation(list.toString()));
    assertEquals(2, records.size());
    assertEquals("https://img.example/a.jpg", records.get(0).url());
    assertEquals("a", records.get(0).titleOrFileName());
    assertEquals("b", records.get(1).titleOrFileName(), "query string is not part of the title");
  }

  @Test
  void csvWithAndWithoutHeader() throws IOException {
    Path plain = dir.resolve("plain.csv");
    Files.writeString(plain, "https://img.example/a.jpg,\"Bridge, at dawn\",https://img.example/page\n");
    ImageRecord r = list(ImageSource.forLocation(plain.toString())).getFirst();
    assertEquals("Bridge, at dawn", r.titleOrFileName());
    assertEquals("https://img.example/page", r.pageUrl());

    Path headed = dir.resolve("headed.csv");
    Files.writeString(headed, "url,first_seen,title,extra\nhttps://img.example/b.jpg,2023-01-02T03:04:05Z,Bee,x\n");
    ImageRecord b = list(ImageSource.forLocation(headed.toString())).getFirst();
    assertEquals("Bee", b.titleOrFileName());
    assertEquals(Instant.parse("2023-01-02T03:04:05Z"), b.firstSeen());
    assertNull(b.pageUrl());
  }

  @Test
  void badListsFailWithTheLine() throws IOException {
    Path badDate = dir.resolve("bad.csv");
    Files.writeString(badDate, "url,first_seen\nhttps://img.example/b.jpg,yesterday\n");
    IOException e = assertThrows(IOException.class, () -> ImageSource.forLocation(badDate.toString()));
    assertEquals(badDate + " line 2: first_seen is not an ISO-8601 instant: yesterday", e.getMessage());

    Path noUrl = dir.resolve("nourl.csv");
    Files.writeString(noUrl, "url,title\n,Only a title\n");
    IOException e2 = assertThrows(IOException.class, () -> ImageSource.forLocation(noUrl.toString()));
    assertTrue(e2.getMessage().endsWith("line 2: no URL in the url column"), e2.getMessage());
  }

  @Test
  void missingLocation() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> ImageSource.forLocation(dir.resolve("nope").toString()));
    assertEquals(dir.resolve("nope").toString(), e.getFile());
  }

  @Test
  void singleUrlAndSingleFile() throws IOException {
    assertEquals(List.of(ImageRecord.of("https://img.example/x.jpg")),
        list(ImageSource.forLocation("https://img.example/x.jpg")));
    Path file = dir.resolve("one.png");
    Files.write(file, new byte[] {1});
    assertEquals(1, ImageSource.forLocation(file.toString()).size());
  }
}
