package dev.loupe.protocol.completion;

/**
 * The {@code usage} of a completion (contract 6.2), the numbers every wire reports in its own
 * shape.
 *
 * @param prompt every input token, the images' included
 * @param cached input tokens served from a prompt cache
 * @param image the images' tokens by the smart-resize rule (section 9), part of {@code prompt}
 * @param video the video frames' tokens by the same rule, part of {@code prompt}; Chat's usage has
 *     no field for them, so there they are only in {@code prompt_tokens} (and not in {@code
 *     text_tokens}); DashScope native reports them as {@code video_tokens}
 * @param completion the tokens written, reasoning included
 * @param reasoning the part of {@code completion} spent thinking
 */
public record CompletionTokens(int prompt, int cached, int image, int video, int completion, int reasoning) {}
