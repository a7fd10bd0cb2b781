package dev.loupe.runs;

/**
 * What a {@link ModelBackend} can do, so that protocols decide by capability instead of by class.
 *
 * @param images whether it looks at images (understands their content); a backend that cannot
 *     still searches them with {@code image_search}
 * @param video whether it takes videos (as sampled frames)
 * @param text whether it answers in text (every backend here does)
 * @param clientTools whether it can call the client's own functions, which come back as {@link
 *     RunEvent.FunctionCallRequested}, and so take a {@link Passthrough} request
 * @param thinking whether it may think aloud: {@link RunEvent.ReasoningDelta}s before its answer
 */
public record Capabilities(boolean images, boolean video, boolean text, boolean clientTools, boolean thinking) {
  /** A backend that only writes text from what its tools find. */
  public static final Capabilities SEARCH_ONLY = new Capabilities(false, false, true, false, false);

  /** A vision-language model with tools and thinking. */
  public static final Capabilities VISION_MODEL = new Capabilities(true, true, true, true, true);
}
