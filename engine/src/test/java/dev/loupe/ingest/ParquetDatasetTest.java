package dev.loupe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import blue.strategic.parquet.ParquetWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet datasets in the LAION and img2dataset layouts, written here with parquet-floor. */
public class ParquetDatasetTest {
  @TempDir Path dir;

  /**
   * Writes rows of (id, url, caption) under these column names, with SAMPLE_ID and HEIGHT columns
   * around them; null cells are left out.
   */
  public static Path write(Path file, String urlColumn, String captionColumn, List<String[]> rows) throws IOException {
    MessageType schema = Types.buildMessage()
        .optional(PrimitiveTypeName.INT64).named("SAMPLE_ID")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(urlColumn)
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(captionColumn)
        .optional(PrimitiveTypeName.INT32).named("HEIGHT")
        .named("dataset");
    try (ParquetWriter<String[]> writer = ParquetWriter.writeFile(schema, file.toFile(), (row, out) -> {
      out.write("SAMPLE_ID", Long.parseLong(row[0]));
      if (row[1] != null) {
        out.write(urlColumn, row[1]);
      }
      if (row[2] != null) {
        out.write(captionColumn, row[2]);
      }
      out.write("HEIGHT", 480);
    })) {
      for (String[] row : rows) {
        writer.write(row);
      }
    }
    return file;
  }

  private static List<ImageRecord> list(ImageSource source) {
    List<ImageRecord> out = new ArrayList<>();
    source.forEach(out::add);
    return out;
  }

  @Test
  void laionColumnsAreFoundAndOthersIgnored() throws IOException {
    Path file = write(dir.resolve("laion.parquet"), "URL", "TEXT", List.of(
        new String[] {"1", "https://img.example/a.jpg", "Stone bridge, dawn"},
        new String[] {"2", null, "no URL: skipped"},
        new String[] {"3", "https://img.example/b.jpg", null}));
    ImageSource source = ImageSource.forLocation(file.toString());
    assertEquals("dataset " + file, source.description());
    assertEquals(List.of(new ImageRecord("https://img.example/a.jpg", "Stone bridge, dawn", null, null),
        new ImageRecord("https://img.example/b.jpg", null, null, null)), list(source));
    assertEquals(List.of("SAMPLE_ID", "URL", "TEXT", "HEIGHT"), new DatasetSource(file).columns());
  }

  @Test
  void img2datasetColumnsAndNamedColumns() throws IOException {
    Path file = write(dir.resolve("shard.parquet"), "url", "caption",
        List.<String[]>of(new String[] {"7", "https://img.example/c.png", "Harbour"}));
    assertEquals(List.of(new ImageRecord("https://img.example/c.png", "Harbour", null, null)),
        list(new DatasetSource(file)));
    Path mine = write(dir.resolve("mine.parquet"), "link", "alt",
        List.<String[]>of(new String[] {"8", "https://img.example/d.png", "Pagoda"}));
    assertEquals(List.of(new ImageRecord("https://img.example/d.png", "Pagoda", null, null)),
        list(DatasetSource.withColumns(mine, "LINK", "alt")));
  }

  @Test
  void missingColumnsAreNamed() throws IOException {
    Path file = write(dir.resolve("mine.parquet"), "link", "alt",
        List.<String[]>of(new String[] {"8", "https://img.example/d.png", "Pagoda"}));
    DatasetSource.MissingColumnException noUrl =
        assertThrows(DatasetSource.MissingColumnException.class, () -> new DatasetSource(file).checkColumns());
    assertEquals(file + ": no URL column (looked for url, image_url); its columns are: SAMPLE_ID, link, alt, HEIGHT",
        noUrl.getMessage());
    DatasetSource.MissingColumnException noCaption = assertThrows(DatasetSource.MissingColumnException.class,
        () -> DatasetSource.withColumns(file, "link", "caption").checkColumns());
    assertEquals(DatasetSource.Role.CAPTION, noCaption.role());
    assertEquals(file + ": no caption column (looked for caption); its columns are: SAMPLE_ID, link, alt, HEIGHT",
        noCaption.getMessage());
    UncheckedIOException iterating = assertThrows(UncheckedIOException.class, () -> new DatasetSource(file).iterator());
    assertEquals(noUrl.getMessage(), iterating.getCause().getMessage());
  }

  @Test
  void truncatedFileIsRefusedWithItsReason() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(new String[] {Integer.toString(i), "https://img.example/" + i + ".jpg", "picture " + i});
    }
    byte[] whole = Files.readAllBytes(write(dir.resolve("whole.parquet"), "url", "caption", rows));
    Path cut = Files.write(dir.resolve("cut.parquet"), Arrays.copyOf(whole, whole.length / 2));
    IOException e = assertThrows(IOException.class, () -> new DatasetSource(cut).checkColumns());
    byte[] tail = Arrays.copyOfRange(whole, whole.length / 2 - 4, whole.length / 2);
    assertEquals(cut + ": not a readable parquet file: expected magic number at tail, but found "
        + Arrays.toString(tail), e.getMessage());
    Path tiny = Files.write(dir.resolve("tiny.parquet"), Arrays.copyOf(whole, 6));
    assertEquals(tiny + ": not a readable parquet file: length is too low: 6",
        assertThrows(IOException.class, () -> new DatasetSource(tiny).checkColumns()).getMessage());
  }

  @Test
  void corruptPagesStopWithTheRowReached() throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(new String[] {Integer.toString(i), "https://img.example/" + i + ".jpg", "picture " + i});
    }
    Path file = write(dir.resolve("corrupt.parquet"), "url", "caption", rows);
    byte[] bytes = Files.readAllBytes(file);
    Arrays.fill(bytes, 4, bytes.length / 3, (byte) 0xFF); // The first pages; the footer stays whole.
    Files.write(file, bytes);
    var records = new DatasetSource(file).iterator();
    UncheckedIOException e = assertThrows(UncheckedIOException.class, records::hasNext);
    assertEquals(file + ": unreadable parquet data after row 0: don't know what type: 15", e.getMessage());
    assertFalse(records.hasNext(), "the reader is closed after the error");
  }
}
