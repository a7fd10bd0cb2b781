package dev.loupe.runs;

import java.util.List;
import java.util.Objects;

/**
 * Everything a model turn needs, protocol-neutral.
 *
 * @param model the requested model name, as sent
 * @param instructions system instructions, or null
 * @param history earlier turns (from {@code previous_response_id}), oldest first
 * @param input this turn's new items
 * @param imageSearch whether the {@code image_search} tool is offered
 * @param toolChoice whether tools may, must or must not be called
 * @param maxToolCalls most built-in tool calls in this turn, or null for no cap
 * @param maxOutputTokens most output tokens, or null for no cap; reaching it ends the turn
 *     incomplete
 * @param passthrough the client's own body for a backend that answers it as it stands, or null;
 *     see {@link Passthrough}
 */
public record RunRequest(
    String model,
    String instructions,
    List<ConversationItem> history,
    List<ConversationItem> input,
    boolean imageSearch,
    ToolChoice toolChoice,
    Integer maxToolCalls,
    Integer maxOutputTokens,
    Passthrough passthrough) {
  public RunRequest {
    Objects.requireNonNull(model, "model");
    history = List.copyOf(history);
    input = List.copyOf(input);
    Objects.requireNonNull(toolChoice, "toolChoice");
    if (maxToolCalls != null && maxToolCalls < 0) {
      throw new IllegalArgumentException("maxToolCalls must be at least 0, got: " + maxToolCalls);
    }
    if (maxOutputTokens != null && maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be at least 1, got: " + maxOutputTokens);
    }
  }

  /** A request without a {@link Passthrough}. */
  public RunRequest(String model, String instructions, List<ConversationItem> history, List<ConversationItem> input,
      boolean imageSearch, ToolChoice toolChoice, Integer maxToolCalls, Integer maxOutputTokens) {
    this(model, instructions, history, input, imageSearch, toolChoice, maxToolCalls, maxOutputTokens, null);
  }

  /** This request, answered as {@code passthrough} by a backend that can. */
  public RunRequest withPassthrough(Passthrough passthrough) {
    return new RunRequest(model, instructions, history, input, imageSearch, toolChoice, maxToolCalls, maxOutputTokens,
        passthrough);
  }

  /** Whether the model may call {@code image_search} at all. */
  public boolean imageSearchAllowed() {
    return imageSearch && toolChoice != ToolChoice.NONE && (maxToolCalls == null || maxToolCalls > 0);
  }
}
