package dev.loupe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An image dataset in the img2dataset/LAION layout: a TSV, CSV or JSON Lines file whose rows have
 * an image URL column and a caption column. The columns are found by name, case-insensitively:
 * the URL in {@code url} (img2dataset, LAION's {@code URL}) or {@code image_url}, the caption in
 * {@code caption} (img2dataset), {@code text} (LAION's {@code TEXT}) or {@code title}; other names
 * can be given. Rows are streamed, so memory does not grow with the file; rows without a URL are
 * skipped. Records are the image URL with the caption as title.
 */
public final class DatasetSource implements ImageSource {
  /** URL column names tried in order when none is given. */
  public static final List<String> URL_COLUMNS = List.of("url", "image_url");
  /** Caption column names tried in order when none is given. */
  public static final List<String> CAPTION_COLUMNS = List.of("caption", "text", "title");

  private final Path file;
  private final List<String> urlColumns;
  private final List<String> captionColumns;

  /** A dataset with the usual column names. */
  public DatasetSource(Path file) {
    this(file, URL_COLUMNS, CAPTION_COLUMNS);
  }

  /** A dataset whose URL and caption are in the first of these columns present. */
  public DatasetSource(Path file, List<String> urlColumns, List<String> captionColumns) {
    this.file = file;
    this.urlColumns = urlColumns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
    this.captionColumns = captionColumns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
  }

  /** Whether a file name is a dataset this source reads. */
  public static boolean isDataset(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".tsv") || lower.endsWith(".jsonl") || lower.endsWith(".ndjson");
  }

  @Override
  public long size() {
    return -1;
  }

  @Override
  public String description() {
    return "dataset " + file;
  }

  @Override
  public Iterator<ImageRecord> iterator() {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      MappingIterator<Map<String, Object>> rows;
      if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
        ObjectMapper json = new ObjectMapper();
        rows = json.readerFor(Map.class).readValues(file.toFile());
      } else {
        CsvMapper csv = new CsvMapper();
        csv.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        CsvSchema schema = CsvSchema.emptySchema().withHeader()
            .withColumnSeparator(name.endsWith(".tsv") ? '\t' : ',');
        rows = csv.readerFor(Map.class).with(schema).readValues(file.toFile());
      }
      return new Rows(rows);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not a readable dataset: " + e.getMessage(), e);
    }
  }

  private final class Rows implements Iterator<ImageRecord> {
    private final MappingIterator<Map<String, Object>> rows;
    private ImageRecord next;

    Rows(MappingIterator<Map<String, Object>> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        try {
          if (!rows.hasNextValue()) {
            return false;
          }
          Map<String, Object> row = lowerCased(rows.nextValue());
          String url = first(row, urlColumns);
          if (url != null) { // Rows without a URL are skipped.
            next = new ImageRecord(url, first(row, captionColumns), null, null);
          }
        } catch (IOException | RuntimeException e) {
          throw new UncheckedIOException(file + ": unreadable row near line "
              + (rows.getCurrentLocation() == null ? "?" : rows.getCurrentLocation().getLineNr())
              + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
      }
      return true;
    }

    @Override
    public ImageRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ImageRecord record = next;
      next = null;
      return record;
    }
  }

  private static Map<String, Object> lowerCased(Map<String, Object> row) {
    Map<String, Object> out = new java.util.HashMap<>();
    row.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT).strip(), v));
    return out;
  }

  private static String first(Map<String, Object> row, List<String> columns) {
    for (String column : columns) {
      Object value = row.get(column);
      if (value != null && !(value instanceof JsonNode) && !value.toString().isBlank()) {
        return value.toString().strip();
      }
    }
    return null;
  }
}
