package dev.loupe.app;

import dev.loupe.engine.LoupeConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option every command that opens the index takes. */
final class DataDirOption {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory holding the index (default: $LOUPE_DATA, else ~/.loupe).")
  Path dataDir;

  @Option(
      names = "--allow-private-addresses",
      description = "Allow fetching URLs on loopback and private networks (refused by default).")
  boolean allowPrivateAddresses;

  LoupeConfig config() {
    LoupeConfig config = LoupeConfig.defaults(dataDir != null ? dataDir : LoupeConfig.defaultDataDir());
    if (allowPrivateAddresses) {
      config = config.withFetchPolicy(config.fetchPolicy().withPrivateAddressesAllowed());
    }
    return config;
  }
}
