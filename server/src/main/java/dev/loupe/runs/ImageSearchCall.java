package dev.loupe.runs;

/**
 * An earlier {@code image_search} call and its output (the JSON list string), sent back as context.
 *
 * @param output the output, or null when the call did not complete
 */
public record ImageSearchCall(String id, String output) implements ConversationItem {}
