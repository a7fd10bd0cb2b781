package dev.loupe.ingest;

import java.util.Iterator;
import java.util.List;

/** A fixed list of records. */
record ListSource(List<ImageRecord> records, String description) implements ImageSource {
  ListSource {
    records = List.copyOf(records);
  }

  @Override
  public long size() {
    return records.size();
  }

  @Override
  public Iterator<ImageRecord> iterator() {
    return records.iterator();
  }
}
