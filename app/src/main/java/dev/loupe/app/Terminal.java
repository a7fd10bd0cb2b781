package dev.loupe.app;

/**
 * Whether standard error is a person's terminal (progress redrawn in place) or a log. A command
 * run for another {@code loupe} process answers for that process's terminal, not the server's.
 */
final class Terminal {
  private static final ThreadLocal<Boolean> CALLER = new ThreadLocal<>();

  private Terminal() {}

  static boolean interactive() {
    Boolean caller = CALLER.get();
    if (caller != null) {
      return caller;
    }
    return System.console() != null && System.console().isTerminal();
  }

  /** Runs {@code body} on this thread as if the terminal were {@code interactive}. */
  static <T> T as(boolean interactive, java.util.function.Supplier<T> body) {
    CALLER.set(interactive);
    try {
      return body.get();
    } finally {
      CALLER.remove();
    }
  }
}
