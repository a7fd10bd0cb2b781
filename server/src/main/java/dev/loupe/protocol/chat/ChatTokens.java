package dev.loupe.protocol.chat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
public record ChatTokens(int prompt, int cached, int image, int video, int completion, int reasoning) {
  /** {@code {prompt_tokens, completion_tokens, total_tokens, prompt_tokens_details, completion_tokens_details}}. */
  ObjectNode json() {
    ObjectNode usage = JsonNodeFactory.instance.objectNode().put("prompt_tokens", prompt)
        .put("completion_tokens", completion).put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cached).put("image_tokens", image)
        .put("text_tokens", Math.max(0, prompt - image - video));
    usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
    return usage;
  }
}
