package dev.loupe.index;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * Opens the writer of one of Loupe's Lucene indexes (the image index, the embedding index) with
 * Loupe's codec, creating the index if absent and committing on close. A second process gets an
 * {@link IndexInUseException}. On any failure the directory is closed, so callers only close it
 * once they own a writer.
 */
final class LoupeIndexWriters {
  private LoupeIndexWriters() {}

  /** A writer on {@code directory} (the index in {@code dir}), with {@code ramBufferMb} of buffer. */
  static IndexWriter open(Path dir, Directory directory, double ramBufferMb) throws IOException {
    try {
      IndexWriterConfig config = new IndexWriterConfig();
      config.setCodec(new LoupeCodec());
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      config.setRAMBufferSizeMB(ramBufferMb);
      config.setCommitOnClose(true);
      return new IndexWriter(directory, config);
    } catch (LockObtainFailedException e) {
      directory.close();
      throw new IndexInUseException(dir, e);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }
}
