package dev.loupe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An image dataset in the img2dataset/LAION layout: a parquet, TSV, CSV or JSON Lines file whose
 * rows have an image URL column and a caption column. The columns are found by name,
 * case-insensitively: the URL in {@code url} (img2dataset, LAION's {@code URL}) or {@code
 * image_url}, the caption in {@code caption} (img2dataset), {@code text} (LAION's {@code TEXT}) or
 * {@code title}; other names can be given. Other columns are ignored (in parquet, not even
 * decoded). Rows are streamed, so memory does not grow with the file; rows without a URL are
 * skipped. Records are the image URL with the caption as title.
 *
 * <p>{@link #checkColumns()} says early when a column is missing; {@link #iterator()} checks too.
 */
public final class DatasetSource implements ImageSource {
  /** URL column names tried in order when none is given. */
  public static final List<String> URL_COLUMNS = List.of("url", "image_url");
  /** Caption column names tried in order when none is given. */
  public static final List<String> CAPTION_COLUMNS = List.of("caption", "text", "title");

  /** Which column a {@link MissingColumnException} is about. */
  public enum Role { URL, CAPTION }

  /**
   * The dataset has no column of a wanted name.
   */
  public static final class MissingColumnException extends IOException {
    private final Role role;
    private final List<String> wanted;
    private final List<String> columns;

    MissingColumnException(Path file, Role role, List<String> wanted, List<String> columns) {
      super(file + ": no " + (role == Role.URL ? "URL" : "caption") + " column (looked for "
          + String.join(", ", wanted) + "); its columns are: " + String.join(", ", columns));
      this.role = role;
      this.wanted = wanted;
      this.columns = columns;
    }

    public Role role() {
      return role;
    }

    /** The names looked for. */
    public List<String> wanted() {
      return wanted;
    }

    /** The dataset's columns (for JSON Lines, the keys of its first row). */
    public List<String> columns() {
      return columns;
    }
  }

  private final Path file;
  private final List<String> urlColumns;
  private final List<String> captionColumns;
  private final boolean captionRequired;

  /** A dataset with the usual column names. */
  public DatasetSource(Path file) {
    this(file, URL_COLUMNS, CAPTION_COLUMNS, false);
  }

  /** A dataset whose URL and caption are in the first of these columns present; a caption is optional. */
  public DatasetSource(Path file, List<String> urlColumns, List<String> captionColumns) {
    this(file, urlColumns, captionColumns, false);
  }

  /**
   * A dataset with these columns; null means the usual names. A caption column given here must
   * exist, the usual ones need not.
   */
  public static DatasetSource withColumns(Path file, String urlColumn, String captionColumn) {
    return new DatasetSource(file, urlColumn == null ? URL_COLUMNS : List.of(urlColumn),
        captionColumn == null ? CAPTION_COLUMNS : List.of(captionColumn), captionColumn != null);
  }

  private DatasetSource(Path file, List<String> urlColumns, List<String> captionColumns, boolean captionRequired) {
    this.file = file;
    this.urlColumns = urlColumns.stream().map(c -> c.toLowerCase(Locale.ROOT).strip()).toList();
    this.captionColumns = captionColumns.stream().map(c -> c.toLowerCase(Locale.ROOT).strip()).toList();
    this.captionRequired = captionRequired;
  }

  /** Whether a file name is a dataset this source reads by default (CSV is read as a URL list). */
  public static boolean isDataset(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".parquet") || lower.endsWith(".tsv") || lower.endsWith(".jsonl")
        || lower.endsWith(".ndjson");
  }

  @Override
  public long size() {
    return -1;
  }

  @Override
  public String description() {
    return "dataset " + file;
  }

  /**
   * The column names: the parquet schema's, the CSV/TSV header's, or the keys of the first JSON
   * Lines row.
   */
  public List<String> columns() throws IOException {
    return switch (format()) {
      case PARQUET -> ParquetRows.columns(file);
      case JSON_LINES -> {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          String line;
          while ((line = in.readLine()) != null && line.isBlank()) {
            // Blank lines are skipped as the rows are.
          }
          if (line == null) {
            yield List.of();
          }
          try {
            List<String> keys = new ArrayList<>();
            new ObjectMapper().readTree(line).fieldNames().forEachRemaining(keys::add);
            yield keys;
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": first row is not a JSON object: " + e.getOriginalMessage(), e);
          }
        }
      }
      case CSV, TSV -> {
        CsvMapper header = csv();
        header.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        try (MappingIterator<String[]> rows = header.readerFor(String[].class).with(CsvSchema.emptySchema()
            .withColumnSeparator(format() == Format.TSV ? '\t' : ',')).readValues(file.toFile())) {
          yield rows.hasNextValue() ? List.of(rows.nextValue()).stream().map(String::strip).toList() : List.of();
        }
      }
    };
  }

  /**
   * Checks that the URL column (and a caption column given by name) exist.
   *
   * @throws MissingColumnException naming the names looked for and the columns present
   */
  public void checkColumns() throws IOException {
    List<String> columns = columns();
    if (find(columns, urlColumns) == null) {
      throw new MissingColumnException(file, Role.URL, urlColumns, columns);
    }
    if (captionRequired && find(columns, captionColumns) == null) {
      throw new MissingColumnException(file, Role.CAPTION, captionColumns, columns);
    }
  }

  /** The actual name of the first wanted column present, case-insensitively, or null. */
  private static String find(List<String> columns, List<String> wanted) {
    for (String name : wanted) {
      for (String column : columns) {
        if (column.strip().toLowerCase(Locale.ROOT).equals(name)) {
          return column;
        }
      }
    }
    return null;
  }

  @Override
  public Iterator<ImageRecord> iterator() {
    try {
      checkColumns();
      if (format() == Format.PARQUET) {
        List<String> columns = columns();
        Iterator<String[]> rows = ParquetRows.read(file, find(columns, urlColumns), find(columns, captionColumns));
        return new Records(() -> {
          while (rows.hasNext()) {
            String[] row = rows.next();
            if (row[0] != null && !row[0].isBlank()) { // Rows without a URL are skipped.
              return new ImageRecord(row[0].strip(), blankToNull(row[1]), null, null);
            }
          }
          return null;
        });
      }
      MappingIterator<Map<String, Object>> rows;
      if (format() == Format.JSON_LINES) {
        rows = new ObjectMapper().readerFor(Map.class).readValues(file.toFile());
      } else {
        CsvSchema schema = CsvSchema.emptySchema().withHeader()
            .withColumnSeparator(format() == Format.TSV ? '\t' : ',');
        rows = csv().readerFor(Map.class).with(schema).readValues(file.toFile());
      }
      return new Records(() -> {
        try {
          while (rows.hasNextValue()) {
            Map<String, Object> row = lowerCased(rows.nextValue());
            String url = first(row, urlColumns);
            if (url != null) { // Rows without a URL are skipped.
              return new ImageRecord(url, first(row, captionColumns), null, null);
            }
          }
          return null;
        } catch (IOException | RuntimeException e) {
          throw new UncheckedIOException(file + ": unreadable row near line "
              + (rows.getCurrentLocation() == null ? "?" : rows.getCurrentLocation().getLineNr())
              + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private enum Format { PARQUET, JSON_LINES, CSV, TSV }

  private Format format() {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return Format.JSON_LINES;
    }
    return name.endsWith(".tsv") ? Format.TSV : Format.CSV;
  }

  private static CsvMapper csv() {
    CsvMapper csv = new CsvMapper();
    csv.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    return csv;
  }

  /** Yields the next record, or null at the end. */
  private interface NextRecord {
    ImageRecord next();
  }

  private static final class Records implements Iterator<ImageRecord> {
    private final NextRecord source;
    private ImageRecord next;
    private boolean done;

    Records(NextRecord source) {
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = source.next();
        done = next == null;
      }
      return next != null;
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

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  private static Map<String, Object> lowerCased(Map<String, Object> row) {
    Map<String, Object> out = new HashMap<>();
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
