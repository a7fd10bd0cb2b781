package dev.loupe.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Loupe keeps its data when no {@code --data} is given, read from the environment (never
 * from Java's {@code user.home}, which ignores {@code $HOME}):
 *
 * <ol>
 *   <li>{@code $LOUPE_DATA},
 *   <li>else {@code $XDG_DATA_HOME/loupe},
 *   <li>else {@code $HOME/.loupe}.
 * </ol>
 *
 * <p>The demo keeps its own index beside it ({@code $XDG_DATA_HOME/loupe-demo} or
 * {@code $HOME/.loupe-demo}) so that trying the demo never writes into the user's collection.
 */
public final class DataDirectory {
  private DataDirectory() {}

  /** The data directory: {@code given} if not null, else the default from {@code env}. */
  public static Path resolve(Path given, Map<String, String> env) {
    if (given != null) {
      return given;
    }
    String loupeData = env.get("LOUPE_DATA");
    if (loupeData != null && !loupeData.isBlank()) {
      return Path.of(loupeData);
    }
    return base(env).resolve(xdg(env) ? "loupe" : ".loupe");
  }

  /** The demo's data directory: {@code given} if not null, else one beside the user's default. */
  public static Path demo(Path given, Map<String, String> env) {
    if (given != null) {
      return given;
    }
    return base(env).resolve(xdg(env) ? "loupe-demo" : ".loupe-demo");
  }

  private static boolean xdg(Map<String, String> env) {
    String xdg = env.get("XDG_DATA_HOME");
    return xdg != null && !xdg.isBlank();
  }

  private static Path base(Map<String, String> env) {
    if (xdg(env)) {
      return Path.of(env.get("XDG_DATA_HOME"));
    }
    String home = env.get("HOME");
    if (home == null || home.isBlank()) {
      throw new IllegalStateException("cannot choose a data directory: $HOME is not set (give --data or set $LOUPE_DATA)");
    }
    return Path.of(home);
  }
}
