package dev.loupe.runs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Token and tool counts of one turn.
 *
 * @param inputTokens everything the model read, tool results included (contract 2.6)
 * @param cachedTokens input tokens served from a prompt cache (0 for the builtin model)
 * @param outputTokens the tokens written
 * @param reasoningTokens output tokens spent thinking (0 for the builtin model)
 * @param toolCalls calls per built-in tool name; empty when no tool ran
 */
public record Usage(int inputTokens, int cachedTokens, int outputTokens, int reasoningTokens,
    Map<String, Integer> toolCalls) {
  public Usage {
    toolCalls = Map.copyOf(new TreeMap<>(toolCalls));
  }

  /** Input plus output. */
  public int totalTokens() {
    return inputTokens + outputTokens;
  }

  /** The sum of two turns' usage, for a loop of several model calls. */
  public Usage plus(Usage other) {
    Map<String, Integer> calls = new TreeMap<>(toolCalls);
    other.toolCalls.forEach((k, v) -> calls.merge(k, v, Integer::sum));
    return new Usage(inputTokens + other.inputTokens, cachedTokens + other.cachedTokens,
        outputTokens + other.outputTokens, reasoningTokens + other.reasoningTokens, calls);
  }
}
