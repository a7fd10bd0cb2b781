package dev.loupe.app;

import dev.loupe.engine.DataDirectory;
import dev.loupe.engine.LoupeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option every command that opens the index takes. */
final class DataDirOption {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory holding the index (default: $LOUPE_DATA, else $XDG_DATA_HOME/loupe, "
          + "else $HOME/.loupe).")
  Path dataDir;

  @Option(
      names = "--index",
      paramLabel = "ADDRESS",
      description = "The image index: a SolrCloud collection, solr://HOST:PORT[,HOST:PORT...]/COLLECTION or "
          + "solr+zk://HOST:PORT[,HOST:PORT...][/CHROOT]/COLLECTION (default: $LOUPE_INDEX, else the embedded "
          + "index in the data directory).")
  String index;

  @Option(
      names = "--allow-private-addresses",
      description = "Allow fetching URLs on loopback and private networks (refused by default).")
  boolean allowPrivateAddresses;

  /** The configuration for a command that may create the data directory. */
  LoupeConfig config() {
    return config(DataDirectory.resolve(dataDir, System.getenv()));
  }

  /**
   * The configuration for a command that only reads or removes: the data directory must exist,
   * else a message naming it (opening the index would otherwise create an empty one).
   */
  LoupeConfig existingConfig() {
    LoupeConfig config = config();
    if (!Files.isDirectory(config.dataDir())) {
      throw new MissingDataDirectory(config.dataDir());
    }
    return config;
  }

  /** The engine for a command that may create the data directory (the server's, when it runs here). */
  SharedEngine open() throws java.io.IOException {
    return SharedEngine.open(config());
  }

  /** The engine for a command that only reads or removes (see {@link #existingConfig()}). */
  SharedEngine openExisting() throws java.io.IOException {
    return openExisting(null);
  }

  /** As {@link #openExisting()}, with an embedding model directory (null: the recorded one). */
  SharedEngine openExisting(Path modelDir) throws java.io.IOException {
    return SharedEngine.open(existingConfig(), modelDir);
  }

  LoupeConfig config(Path dir) {
    LoupeConfig config = LoupeConfig.defaults(dir);
    String address = index != null ? index : System.getenv("LOUPE_INDEX");
    if (address != null && !address.isBlank()) {
      config = config.withIndex(IndexAddress.opener(address.strip()));
    }
    if (allowPrivateAddresses) {
      config = config.withFetchPolicy(config.fetchPolicy().withPrivateAddressesAllowed());
    }
    return config;
  }

  /** A read-only command named a data directory that does not exist. */
  static final class MissingDataDirectory extends RuntimeException {
    MissingDataDirectory(Path dir) {
      super("no data directory at " + dir + " (index images into it first, or give --data DIR)");
    }
  }
}
