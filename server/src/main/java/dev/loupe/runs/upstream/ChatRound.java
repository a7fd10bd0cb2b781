package dev.loupe.runs.upstream;

import java.util.List;

/**
 * One streamed chat completion, read to its end (or, when {@link #partial()}, to where the upstream
 * fell silent).
 *
 * @param text the whole answer text (the concatenated {@code content} deltas)
 * @param reasoning the concatenated {@code reasoning_content} deltas of a thinking model, or empty
 * @param toolCalls the calls, in their stream {@code index} order
 * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, …; {@code stop} when the
 *     server sent none before {@code [DONE]}; {@code length} for a partial answer
 * @param usage the last usage the server reported, or null when it sent none
 * @param partial whether the upstream stopped answering after it had written something, so this is
 *     what it produced before the timeout (seed 003, "timeout handling")
 */
record ChatRound(String text, String reasoning, List<ChatToolCall> toolCalls, String finishReason,
    ChatUsage usage, boolean partial) {
  public ChatRound {
    toolCalls = List.copyOf(toolCalls);
  }
}
