package dev.loupe.runs.upstream;

import java.util.List;

/**
 * One streamed chat completion, read to its end.
 *
 * @param text the whole answer text (the concatenated {@code content} deltas)
 * @param toolCalls the calls, in their stream {@code index} order
 * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, …; {@code stop} when the
 *     server sent none before {@code [DONE]}
 * @param usage the last usage the server reported, or null when it sent none
 */
record ChatRound(String text, List<ChatToolCall> toolCalls, String finishReason, ChatUsage usage) {
  ChatRound {
    toolCalls = List.copyOf(toolCalls);
  }
}
