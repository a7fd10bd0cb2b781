package dev.loupe.ingest;

import blue.strategic.parquet.Hydrator;
import blue.strategic.parquet.HydratorSupplier;
import blue.strategic.parquet.ParquetReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.Type;

/**
 * The URL and caption columns of a parquet file, row by row, read with parquet-floor (parquet-mr
 * without Hadoop). Only those two columns are decoded; one row group is in memory at a time.
 */
final class ParquetRows {
  private ParquetRows() {}

  /** The top-level column names, from the file's footer. */
  static List<String> columns(Path file) throws IOException {
    List<String> names = new ArrayList<>();
    try {
      for (Type field : ParquetReader.readMetadata(file.toFile()).getFileMetaData().getSchema().getFields()) {
        names.add(field.getName());
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": not a readable parquet file: " + message(e), e);
    }
    return names;
  }

  /** Rows as {@code [url, caption]} (caption null when {@code captionColumn} is). */
  static Iterator<String[]> read(Path file, String urlColumn, String captionColumn) {
    List<String> wanted = captionColumn == null ? List.of(urlColumn) : List.of(urlColumn, captionColumn);
    ParquetReader<String[], String[]> reader;
    try {
      reader = ParquetReader.spliterator(file.toFile(), HydratorSupplier.constantly(new Hydrator<>() {
        @Override
        public String[] start() {
          return new String[2];
        }

        @Override
        public String[] add(String[] row, String heading, Object value) {
          row[heading.equals(urlColumn) ? 0 : 1] = text(value);
          return row;
        }

        @Override
        public String[] finish(String[] row) {
          return row;
        }
      }), wanted);
    } catch (IOException | RuntimeException e) {
      String text = file + ": not a readable parquet file: " + message(e);
      throw new UncheckedIOException(text, new IOException(text, e));
    }
    return new Iterator<>() {
      private String[] next;
      private long row;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            if (!reader.tryAdvance(r -> next = r)) {
              done = true;
              reader.close();
            }
          } catch (IOException | RuntimeException e) {
            done = true;
            try {
              reader.close();
            } catch (IOException | RuntimeException suppressed) {
              e.addSuppressed(suppressed);
            }
            String text = file + ": unreadable parquet data after row " + row + ": " + message(e);
            throw new UncheckedIOException(text, new IOException(text, e));
          }
        }
        return next != null;
      }

      @Override
      public String[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String[] out = next;
        next = null;
        row++;
        return out;
      }
    };
  }

  private static String text(Object value) {
    return value == null ? null : value instanceof Binary b ? b.toStringUsingUTF8() : value.toString();
  }

  /** parquet-mr's "{@code <input file object> is not a Parquet file. Expected …}" names no file. */
  private static final java.util.regex.Pattern NOT_PARQUET =
      java.util.regex.Pattern.compile("^.*? is not a Parquet file[.:]?\\s*\\(?(.*?)\\)?$");

  /** The innermost cause's message (parquet-mr wraps the useful one), without parquet-mr's object names. */
  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    java.util.regex.Matcher m = NOT_PARQUET.matcher(text);
    if (m.matches() && !m.group(1).isEmpty()) {
      text = Character.toLowerCase(m.group(1).charAt(0)) + m.group(1).substring(1);
    }
    return text;
  }
}
