package dev.loupe.engine;

import dev.loupe.index.ImageIndex;
import dev.loupe.index.LuceneImageIndex;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the image index an engine works on. The default is the embedded Lucene index in
 * {@code <data>/index}; another backend (a SolrCloud collection, module {@code index-solr}) is
 * passed in by the application, so that the engine never depends on it.
 */
@FunctionalInterface
public interface IndexOpener {
  /** The embedded Lucene index in {@code <data>/index}. */
  IndexOpener EMBEDDED = dataDir -> LuceneImageIndex.open(dataDir.resolve("index"));

  /** Opens (creating it if needed) the index for the data directory {@code dataDir}. */
  ImageIndex open(Path dataDir) throws IOException;
}
