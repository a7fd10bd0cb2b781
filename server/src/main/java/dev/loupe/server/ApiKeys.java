package dev.loupe.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the server's API keys come from: the environment variable {@value #ENV} (comma-separated)
 * and a keys file (one key a line, blank lines and lines starting with {@code #} skipped). Keys from
 * both are accepted.
 */
public final class ApiKeys {
  /** The environment variable holding comma-separated keys. */
  public static final String ENV = "LOUPE_API_KEYS";

  private ApiKeys() {}

  /**
   * The keys in {@code env} and in {@code keysFile}.
   *
   * @param env the environment, usually {@link System#getenv()}
   * @param keysFile a keys file, or null for none
   */
  public static Set<String> load(Map<String, String> env, Path keysFile) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    String fromEnv = env.get(ENV);
    if (fromEnv != null) {
      for (String key : fromEnv.split(",")) {
        if (!key.isBlank()) {
          keys.add(key.strip());
        }
      }
    }
    if (keysFile != null) {
      for (String line : Files.readAllLines(keysFile, StandardCharsets.UTF_8)) {
        String key = line.strip();
        if (!key.isEmpty() && !key.startsWith("#")) {
          keys.add(key);
        }
      }
      if (keys.isEmpty()) {
        throw new IOException(keysFile + ": no API keys in the file (one key a line)");
      }
    }
    return keys;
  }
}
