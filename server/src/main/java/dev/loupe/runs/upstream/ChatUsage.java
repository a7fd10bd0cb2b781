package dev.loupe.runs.upstream;

import com.fasterxml.jackson.databind.JsonNode;

/** An upstream's {@code usage} object: the four counts Loupe reports. */
record ChatUsage(int promptTokens, int cachedTokens, int completionTokens, int reasoningTokens) {
  /** Reads {@code prompt_tokens}, {@code completion_tokens} and their details; absent counts are 0. */
  static ChatUsage of(JsonNode usage) {
    return new ChatUsage(usage.path("prompt_tokens").asInt(0),
        usage.path("prompt_tokens_details").path("cached_tokens").asInt(0),
        usage.path("completion_tokens").asInt(0),
        usage.path("completion_tokens_details").path("reasoning_tokens").asInt(0));
  }
}
