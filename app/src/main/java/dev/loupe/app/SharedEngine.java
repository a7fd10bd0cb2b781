package dev.loupe.app;

import dev.loupe.engine.Loupe;
import dev.loupe.engine.LoupeConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The engine a command works on. In the process of {@code loupe serve}, commands sent by other
 * {@code loupe} processes ({@link CommandService}) use the server's open engine, which they must not
 * close; elsewhere a command opens the data directory and closes it when done.
 */
final class SharedEngine implements AutoCloseable {
  private static volatile Loupe serving;

  private final Loupe loupe;
  private final boolean owned;

  private SharedEngine(Loupe loupe, boolean owned) {
    this.loupe = loupe;
    this.owned = owned;
  }

  /** Makes {@code loupe} the engine for commands on its data directory in this process. */
  static void serve(Loupe loupe) {
    serving = loupe;
  }

  /** The serving engine if it is on {@code config}'s data directory, else a newly opened one. */
  static SharedEngine open(LoupeConfig config) throws IOException {
    return open(config, null);
  }

  /**
   * As {@link #open(LoupeConfig)}, opening a new engine with the embedding model in {@code modelDir}
   * (null: the one the data directory recorded, if any). The serving engine keeps the model it was
   * started with.
   */
  static SharedEngine open(LoupeConfig config, Path modelDir) throws IOException {
    Loupe current = serving;
    if (current != null && same(current.config().dataDir(), config.dataDir())) {
      return new SharedEngine(current, false);
    }
    return new SharedEngine(Loupe.open(config, modelDir), true);
  }

  private static boolean same(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  Loupe loupe() {
    return loupe;
  }

  @Override
  public void close() throws IOException {
    if (owned) {
      loupe.close();
    }
  }
}
