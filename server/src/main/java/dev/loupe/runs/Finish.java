package dev.loupe.runs;

/** How a backend's turn ended normally. */
public enum Finish {
  /** The answer is complete. */
  COMPLETED,
  /** {@code max_output_tokens} (or the model's own length limit) cut the answer short. */
  MAX_OUTPUT_TOKENS,
  /** The model's server withheld the rest of the answer by its content filter. */
  CONTENT_FILTER,
  /**
   * The model's server fell silent after it had written part of the answer: what it wrote is the
   * answer, as the hosted service returns a timed-out generation (seed 003, "timeout handling").
   */
  UPSTREAM_SILENT
}
