package dev.loupe.app;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * What reaches the terminal from the libraries' logs (Lucene, Helidon and Loupe's own server log
 * through {@code java.util.logging}): warnings and errors by default, everything from INFO up with
 * {@code --verbose}. {@code -Djava.util.logging.config.file=FILE} still wins when given.
 */
final class LogLevels {
  private LogLevels() {}

  static void apply(boolean verbose) {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    Logger root = LogManager.getLogManager().getLogger("");
    Level level = verbose ? Level.INFO : Level.WARNING;
    root.setLevel(level);
    for (var handler : root.getHandlers()) {
      handler.setLevel(level);
    }
  }
}
