package dev.loupe.telemetry;

/**
 * Usage by caller: what each API key's requests used, for {@code GET /v1/usage}. The server binds
 * the caller's {@link Account} around each request ({@link #ACCOUNT}, a scoped value, so it follows
 * the request onto its worker thread and into the turn); the parts that do the work report here
 * without knowing who asked. Nothing is recorded outside a request (the command line, tests of the
 * parts).
 */
public final class Ledger {
  /** Where the current request's usage goes; bound by the server per request. */
  public static final ScopedValue<Account> ACCOUNT = ScopedValue.newInstance();

  /** One caller's ledger. Implementations are thread-safe. */
  @FunctionalInterface
  public interface Account {
    void add(long imageSearchCalls, long searches, long inputTokens, long outputTokens, long imagesAdded);
  }

  private Ledger() {}

  /** A model turn's usage, as its {@code usage} reports it. */
  public static void turn(long inputTokens, long outputTokens, long imageSearchCalls) {
    if (ACCOUNT.isBound()) {
      ACCOUNT.get().add(imageSearchCalls, 0, inputTokens, outputTokens, 0);
    }
  }

  /** A search of the collection made directly (REST, MCP), not by a model. */
  public static void searched() {
    if (ACCOUNT.isBound()) {
      ACCOUNT.get().add(0, 1, 0, 0, 0);
    }
  }

  /** Images given to the index. */
  public static void added(long images) {
    if (ACCOUNT.isBound() && images > 0) {
      ACCOUNT.get().add(0, 0, 0, 0, images);
    }
  }
}
