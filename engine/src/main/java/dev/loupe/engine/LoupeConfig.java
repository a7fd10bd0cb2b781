package dev.loupe.engine;

import dev.loupe.fetch.FetchPolicy;
import dev.loupe.image.ImageLimits;
import dev.loupe.ingest.IngestSettings;
import dev.loupe.search.SearchSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything needed to open an engine.
 *
 * @param dataDir where the index lives (in {@code index/} below it); default {@link #defaultDataDir()}
 * @param limits image limits for ingest and queries; default {@link ImageLimits#defaults()}
 * @param fetchPolicy how URLs are fetched; default {@link FetchPolicy#defaults()} (private
 *     addresses refused)
 * @param search search tuning; default {@link SearchSettings#defaults()}
 * @param ingest ingest tuning; default {@link IngestSettings#defaults()}
 * @param index opens the image index; default {@link IndexOpener#EMBEDDED} (Lucene in
 *     {@code <data>/index})
 */
public record LoupeConfig(
    Path dataDir, ImageLimits limits, FetchPolicy fetchPolicy, SearchSettings search, IngestSettings ingest,
    IndexOpener index) {
  public LoupeConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(fetchPolicy, "fetchPolicy");
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(index, "index");
  }

  /** A configuration with the embedded index. */
  public LoupeConfig(
      Path dataDir, ImageLimits limits, FetchPolicy fetchPolicy, SearchSettings search, IngestSettings ingest) {
    this(dataDir, limits, fetchPolicy, search, ingest, IndexOpener.EMBEDDED);
  }

  /** Defaults for everything but the data directory. */
  public static LoupeConfig defaults(Path dataDir) {
    return new LoupeConfig(dataDir, ImageLimits.defaults(), FetchPolicy.defaults(), SearchSettings.defaults(),
        IngestSettings.defaults());
  }

  /** The default data directory from the environment; see {@link DataDirectory}. */
  public static Path defaultDataDir() {
    return DataDirectory.resolve(null, System.getenv());
  }

  public LoupeConfig withFetchPolicy(FetchPolicy policy) {
    return new LoupeConfig(dataDir, limits, policy, search, ingest, index);
  }

  public LoupeConfig withIngest(IngestSettings settings) {
    return new LoupeConfig(dataDir, limits, fetchPolicy, search, settings, index);
  }

  public LoupeConfig withSearch(SearchSettings settings) {
    return new LoupeConfig(dataDir, limits, fetchPolicy, settings, ingest, index);
  }

  /** The same configuration on another index backend. */
  public LoupeConfig withIndex(IndexOpener opener) {
    return new LoupeConfig(dataDir, limits, fetchPolicy, search, ingest, opener);
  }
}
