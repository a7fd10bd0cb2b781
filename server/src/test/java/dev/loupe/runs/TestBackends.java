package dev.loupe.runs;

/** Backends written inline in tests: a lambda for the turn, search-only capabilities. */
public final class TestBackends {
  private TestBackends() {}

  /** A turn, as {@link ModelBackend#run}. */
  @FunctionalInterface
  public interface Turn {
    Finish run(RunRequest request, RunContext context) throws Exception;
  }

  /** A backend declaring {@link Capabilities#SEARCH_ONLY} whose turns are {@code turn}. */
  public static ModelBackend searchOnly(Turn turn) {
    return new ModelBackend() {
      @Override
      public Finish run(RunRequest request, RunContext context) throws Exception {
        return turn.run(request, context);
      }

      @Override
      public Capabilities capabilities() {
        return Capabilities.SEARCH_ONLY;
      }
    };
  }
}
