package dev.loupe.runs;

import dev.loupe.telemetry.Ledger;
import dev.loupe.tools.ImageSearchFailed;
import dev.loupe.tools.ImageSearchTool;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs one turn and emits its whole event stream to a consumer, on the calling thread:
 * {@code Created, InProgress, <backend events>, Completed | Incomplete | Failed}.
 *
 * <p>A backend failure becomes one final {@link RunEvent.Failed} (contract 3.6). A failure of the
 * consumer itself (the client went away) is not reported as an event: it propagates, unwrapped, and
 * the turn stops.
 */
public final class ResponseRun {
  private static final System.Logger LOG = System.getLogger(ResponseRun.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private ResponseRun() {}

  /** A random id such as {@code msg_5f0c…} (24 hex digits). */
  public static String newId(String prefix) {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return prefix + "_" + HexFormat.of().formatHex(bytes);
  }

  /** Runs the turn; returns when the terminal event has been emitted. */
  public static void execute(ModelBackend backend, RunRequest request, ImageSearchTool tool, Consumer<RunEvent> sink) {
    Objects.requireNonNull(backend, "backend");
    try {
      run(backend, request, tool, new Guard(sink));
    } catch (SinkFailed e) {
      throw e.unwrap();
    }
  }

  private static void run(ModelBackend backend, RunRequest request, ImageSearchTool tool, Guard guard) {
    guard.accept(new RunEvent.Created());
    guard.accept(new RunEvent.InProgress());
    RunEvent terminal;
    try {
      Finish finish = backend.run(request, new RunContext() {
        @Override
        public void emit(RunEvent event) {
          switch (event) {
            case RunEvent.Created c -> throw lifecycle(c);
            case RunEvent.InProgress p -> throw lifecycle(p);
            case RunEvent.Completed c -> throw lifecycle(c);
            case RunEvent.Incomplete i -> throw lifecycle(i);
            case RunEvent.Failed f -> throw lifecycle(f);
            case RunEvent.ToolCallStarted s -> guard.accept(s);
            case RunEvent.ToolCallSearching s -> guard.accept(s);
            case RunEvent.ToolCallCompleted c -> guard.accept(c);
            case RunEvent.MessageStarted m -> guard.accept(m);
            case RunEvent.TextDelta d -> guard.accept(d);
            case RunEvent.MessageDone d -> guard.accept(d);
            case RunEvent.ReasoningDelta r -> guard.accept(r);
            case RunEvent.FunctionCallRequested f -> guard.accept(f);
            case RunEvent.UsageReported u -> {
              Ledger.turn(u.usage().inputTokens(), u.usage().outputTokens(),
                  u.usage().toolCalls().getOrDefault(dev.loupe.tools.ImageSearchTool.NAME, 0));
              guard.accept(u);
            }
          }
        }

        @Override
        public ImageSearchTool imageSearch() {
          return tool;
        }

        @Override
        public String newId(String prefix) {
          return ResponseRun.newId(prefix);
        }
      });
      terminal = switch (finish) {
        case COMPLETED -> new RunEvent.Completed();
        case MAX_OUTPUT_TOKENS -> new RunEvent.Incomplete("max_output_tokens");
        case CONTENT_FILTER -> new RunEvent.Incomplete("content_filter");
        case UPSTREAM_SILENT -> new RunEvent.Incomplete("upstream_timeout");
      };
    } catch (SinkFailed e) {
      throw e;
    } catch (BackendFailed e) {
      terminal = new RunEvent.Failed(e.kind(), "server_error", e.getMessage());
    } catch (ImageSearchFailed e) {
      terminal = new RunEvent.Failed(FailureKind.INPUT, e.code(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      terminal = new RunEvent.Failed(FailureKind.INTERNAL, "server_error", "The response was interrupted.");
    } catch (Exception e) {
      // A fault of this server: its message may name files or internals, so it goes to the log only.
      LOG.log(System.Logger.Level.ERROR, "a turn failed", e);
      terminal = new RunEvent.Failed(FailureKind.INTERNAL, "server_error",
          "The server had an error while processing the response.");
    }
    guard.accept(terminal);
  }

  private static IllegalStateException lifecycle(RunEvent e) {
    return new IllegalStateException("backends must not emit lifecycle events, got: " + e);
  }

  /** Marks exceptions thrown by the consumer so they are not mistaken for backend failures. */
  private static final class SinkFailed extends RuntimeException {
    SinkFailed(RuntimeException cause) {
      super(cause);
    }

    RuntimeException unwrap() {
      return (RuntimeException) getCause();
    }
  }

  private record Guard(Consumer<RunEvent> sink) implements Consumer<RunEvent> {
    @Override
    public void accept(RunEvent event) {
      try {
        sink.accept(event);
      } catch (RuntimeException e) {
        throw new SinkFailed(e);
      }
    }
  }
}
