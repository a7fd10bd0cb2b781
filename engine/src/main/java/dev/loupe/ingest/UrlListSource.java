package dev.loupe.ingest;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A text file of image locations, one per line, or a CSV file whose columns are
 * {@code url,title,page_url[,first_seen]}. A first row whose first cell is {@code url} is a header
 * and may name the columns in any order. Blank lines and lines starting with {@code #} are skipped.
 * A header's {@code caption} or {@code text} column (img2dataset's and LAION's captions) is the title.
 */
public final class UrlListSource {
  private UrlListSource() {}

  /** Reads the whole list now; an unreadable row fails with its line number. */
  public static ImageSource read(Path file) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
    mapper.enable(CsvParser.Feature.ALLOW_COMMENTS);
    mapper.enable(CsvParser.Feature.TRIM_SPACES);
    List<ImageRecord> records = new ArrayList<>();
    int url = 0;
    int title = 1;
    int page = 2;
    int seen = 3;
    try (MappingIterator<String[]> rows = mapper.readerFor(String[].class).readValues(file.toFile())) {
      boolean first = true;
      while (rows.hasNextValue()) {
        // After hasNextValue() the parser stands at the start of the row: its line is the row's.
        int line = rows.getCurrentLocation() == null ? -1 : rows.getCurrentLocation().getLineNr();
        String[] row = rows.nextValue();
        if (java.util.Arrays.stream(row).allMatch(String::isBlank)) {
          continue;
        }
        if (first && row.length > 0 && row[0].strip().equalsIgnoreCase("url")) {
          url = title = page = seen = -1;
          for (int i = 0; i < row.length; i++) {
            switch (row[i].strip().toLowerCase(Locale.ROOT)) {
              case "url" -> url = i;
              case "title", "caption", "text" -> title = i; // img2dataset's and LAION's captions
              case "page_url" -> page = i;
              case "first_seen" -> seen = i;
              default -> { } // Extra columns are allowed and ignored.
            }
          }
          first = false;
          continue;
        }
        first = false;
        String location = cell(row, url);
        if (location == null) {
          throw new IOException(file + " line " + line + ": no URL in the url column");
        }
        Instant firstSeen = null;
        String seenText = cell(row, seen);
        if (seenText != null) {
          try {
            firstSeen = Instant.parse(seenText);
          } catch (DateTimeParseException e) {
            throw new IOException(file + " line " + line + ": first_seen is not an ISO-8601 instant: " + seenText);
          }
        }
        records.add(new ImageRecord(location, cell(row, title), cell(row, page), firstSeen));
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a readable list of URLs: " + e.getMessage(), e);
    }
    return new ListSource(records, "list " + file);
  }

  private static String cell(String[] row, int i) {
    return i >= 0 && i < row.length && !row[i].isBlank() ? row[i].strip() : null;
  }
}
