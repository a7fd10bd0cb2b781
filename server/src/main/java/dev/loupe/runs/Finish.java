package dev.loupe.runs;

/** How a backend's turn ended normally. */
public enum Finish {
  /** The answer is complete. */
  COMPLETED,
  /** {@code max_output_tokens} cut the answer short. */
  MAX_OUTPUT_TOKENS
}
