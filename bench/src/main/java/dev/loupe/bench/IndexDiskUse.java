package dev.loupe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.codecs.CompoundDirectory;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFieldDataInput;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.util.Bits;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Where an index's bytes on disk go, by the kind of Lucene file: stored fields (signatures,
 * keypoints, occurrences, thumbnails), terms and postings (hash chunks, visual words, ids, domains),
 * vectors, doc values. Files inside compound files (small segments) are counted as what they hold.
 */
final class IndexDiskUse {
  private IndexDiskUse() {}

  /** Bytes of the latest commit in {@code indexDir}, by kind. */
  static Map<String, Long> byKind(Path indexDir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Directory dir = FSDirectory.open(indexDir)) {
      SegmentInfos infos = SegmentInfos.readLatestCommit(dir);
      out.merge("other", dir.fileLength(infos.getSegmentsFileName()), Long::sum);
      for (SegmentCommitInfo segment : infos) {
        for (String file : segment.files()) {
          String ext = extension(file);
          if (ext.equals("cfs")) {
            try (CompoundDirectory compound =
                segment.info.getCodec().compoundFormat().getCompoundReader(dir, segment.info)) {
              for (String inner : compound.listAll()) {
                out.merge(kind(extension(inner)), compound.fileLength(inner), Long::sum);
              }
            }
            // The compound file's own header and footer are what its parts do not account for.
          } else {
            out.merge(kind(ext), dir.fileLength(file), Long::sum);
          }
        }
      }
    }
    return out;
  }

  /** The stored documents {@link #byField(Path)} reads at most: all of them takes minutes at millions. */
  static final int STORED_SAMPLE = 50_000;

  /** {@link #byField(Path, int)} with a sample of {@value #STORED_SAMPLE} documents. */
  static Map<String, long[]> byField(Path indexDir) throws IOException {
    return byField(indexDir, STORED_SAMPLE);
  }

  /**
   * What each field holds, summed over the live documents: {@code [stored bytes, postings]}. Stored
   * bytes are the values' own lengths (the stored-fields file compresses them in blocks, which does
   * little for the random-looking signatures and keypoints); postings are the field's document
   * frequencies summed over its terms (one per distinct term of a document), exact. Above
   * {@code sample} live documents, the stored bytes are read from every k-th document in index order
   * and scaled to all of them, an estimate.
   */
  static Map<String, long[]> byField(Path indexDir, int sample) throws IOException {
    if (sample < 1) {
      throw new IllegalArgumentException("sample must be at least 1, got: " + sample);
    }
    Map<String, long[]> out = new TreeMap<>();
    Map<String, Long> storedBytes = new TreeMap<>();
    try (Directory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir)) {
      int step = Math.max(1, (int) Math.ceil((double) reader.numDocs() / sample));
      long visited = 0;
      StoredFieldVisitor visitor = new StoredFieldVisitor() {
        @Override
        public Status needsField(FieldInfo fieldInfo) {
          return Status.YES;
        }

        @Override
        public void binaryField(FieldInfo fieldInfo, StoredFieldDataInput value) throws IOException {
          value.getDataInput().skipBytes(value.getLength());
          storedBytes.merge(fieldInfo.name, (long) value.getLength(), Long::sum);
        }

        @Override
        public void stringField(FieldInfo fieldInfo, String value) {
          storedBytes.merge(fieldInfo.name, (long) value.getBytes(StandardCharsets.UTF_8).length, Long::sum);
        }
      };
      long live = 0;
      for (LeafReaderContext leaf : reader.leaves()) {
        LeafReader r = leaf.reader();
        for (FieldInfo field : r.getFieldInfos()) {
          Terms terms = r.terms(field.name);
          out.computeIfAbsent(field.name, f -> new long[2])[1] += terms == null ? 0 : terms.getSumDocFreq();
        }
        StoredFields stored = r.storedFields();
        Bits liveDocs = r.getLiveDocs();
        for (int doc = 0; doc < r.maxDoc(); doc++) {
          if (liveDocs != null && !liveDocs.get(doc)) {
            continue;
          }
          if (live++ % step == 0) {
            stored.document(doc, visitor);
            visited++;
          }
        }
      }
      double scale = visited == 0 ? 0 : (double) live / visited;
      storedBytes.forEach((field, bytes) ->
          out.computeIfAbsent(field, f -> new long[2])[0] = Math.round(bytes * scale));
    }
    return out;
  }

  /** The kind of a Lucene file, from its extension. */
  static String kind(String extension) {
    return switch (extension) {
      case "fdt", "fdx", "fdm" -> "stored_fields";
      case "tim", "tip", "tmd", "doc", "pos", "pay", "psm" -> "terms_and_postings";
      case "vec", "vem", "veq", "vemq", "vex", "vemf" -> "vectors";
      case "dvd", "dvm" -> "doc_values";
      default -> "other";
    };
  }

  private static String extension(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? "" : file.substring(dot + 1);
  }
}
