package dev.loupe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image datasets in the img2dataset and LAION layouts. */
class DatasetSourceTest {
  @TempDir Path dir;

  private static List<ImageRecord> list(ImageSource source) {
    List<ImageRecord> out = new ArrayList<>();
    source.forEach(out::add);
    return out;
  }

  @Test
  void img2datasetJsonLines() throws IOException {
    Path file = Files.writeString(dir.resolve("shard.jsonl"), """
        {"url": "https://img.example/a.jpg", "caption": "A red kite", "width": 640}
        {"url": "", "caption": "no URL: skipped"}

        {"caption": "Harbour", "url": "https://img.example/b.png"}
        """);
    ImageSource source = ImageSource.forLocation(file.toString());
    assertEquals("dataset " + file, source.description());
    assertEquals(List.of(new ImageRecord("https://img.example/a.jpg", "A red kite", null, null),
        new ImageRecord("https://img.example/b.png", "Harbour", null, null)), list(source));
  }

  @Test
  void laionTsvAndCsv() throws IOException {
    Path tsv = Files.writeString(dir.resolve("laion.tsv"),
        "SAMPLE_ID\tURL\tTEXT\tHEIGHT\n1\thttps://img.example/c.jpg\tStone bridge, dawn\t480\n");
    assertEquals(List.of(new ImageRecord("https://img.example/c.jpg", "Stone bridge, dawn", null, null)),
        list(ImageSource.forLocation(tsv.toString())));
    Path csv = Files.writeString(dir.resolve("laion.csv"),
        "URL,TEXT\nhttps://img.example/d.jpg,\"Tea house, Kyoto\"\n");
    assertEquals(List.of(new ImageRecord("https://img.example/d.jpg", "Tea house, Kyoto", null, null)),
        list(ImageSource.forLocation(csv.toString())));
  }

  @Test
  void configuredColumnsAndABrokenRow() throws IOException {
    Path file = Files.writeString(dir.resolve("mine.jsonl"),
        "{\"link\": \"https://img.example/e.jpg\", \"alt\": \"Pagoda\"}\n{broken\n");
    var rows = new DatasetSource(file, List.of("link"), List.of("alt")).iterator();
    assertEquals(new ImageRecord("https://img.example/e.jpg", "Pagoda", null, null), rows.next());
    UncheckedIOException e = assertThrows(UncheckedIOException.class, rows::hasNext);
    assertEquals(file + ": unreadable row near line 2: ", e.getMessage().substring(0, (file + ": unreadable row near line 2: ").length()));
  }
}
