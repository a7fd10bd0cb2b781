package dev.loupe.runs;

/**
 * A model: reads the conversation, calls tools through the context, writes an answer as events.
 * Implementations are thread-safe; each turn runs on its caller's thread.
 *
 * <p>Contract: emit tool calls, reasoning, messages and client function calls as {@link RunEvent}s,
 * exactly one {@link RunEvent.UsageReported}, and return; only what {@link #capabilities()} declares
 * ({@link RunEvent.ReasoningDelta} needs {@code thinking}, {@link RunEvent.FunctionCallRequested}
 * needs {@code clientTools}). {@code ModelBackendContractTestCase} checks this grammar for every
 * backend. Never emit lifecycle or terminal events; {@link ResponseRun}
 * does. Throwing fails the turn: {@link dev.loupe.tools.ImageSearchFailed} keeps its code, {@link
 * BackendFailed} keeps its HTTP status for a request not yet answered, anything else becomes {@code
 * server_error}.
 */
public interface ModelBackend {
  Finish run(RunRequest request, RunContext context) throws Exception;

  /** What this backend can do; protocols refuse what it cannot before a turn starts. */
  Capabilities capabilities();
}
