package dev.loupe.runs.upstream;

import dev.loupe.runs.RunContext;
import dev.loupe.runs.RunEvent;

/**
 * Emits one round's text as a message: {@link RunEvent.MessageStarted} before the first delta, each
 * delta as it comes, {@link RunEvent.MessageDone} at the end. A round that only calls tools emits
 * no message; the final round always emits one, empty if need be, so the output ends with the
 * answer. Used by one thread.
 */
final class MessageWriter {
  private final RunContext context;
  private final StringBuilder text = new StringBuilder();
  private String messageId;

  MessageWriter(RunContext context) {
    this.context = context;
  }

  void append(String delta) {
    if (messageId == null) {
      messageId = context.newId("msg");
      context.emit(new RunEvent.MessageStarted(messageId));
    }
    text.append(delta);
    context.emit(new RunEvent.TextDelta(messageId, delta));
  }

  /** Ends the message of a round that also called tools, if it wrote any text. */
  void finishIfStarted() {
    if (messageId != null) {
      context.emit(new RunEvent.MessageDone(messageId, text.toString(), false));
    }
  }

  /** Ends the answer, starting an empty one if the model wrote nothing. */
  void finish(boolean truncated) {
    if (messageId == null) {
      append("");
    }
    context.emit(new RunEvent.MessageDone(messageId, text.toString(), truncated));
  }
}
