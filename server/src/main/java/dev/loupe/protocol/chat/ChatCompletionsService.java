package dev.loupe.protocol.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;
import dev.loupe.protocol.completion.CompletionService;
import java.util.Objects;

/**
 * The Chat Completions API without HTTP (contract section 6). The HTTP layer parses the body and
 * calls:
 *
 * <pre>{@code
 * ChatCall call = service.prepare(body);   // ApiException: 400 bad body or image, 404 unknown model
 * if (call.streaming()) {
 *   call.stream(sink);                     // ApiException if it fails before the first chunk
 * } else {
 *   ChatCompletion done = call.await();    // ApiException: 502/504 upstream, 400 image
 * }
 * }</pre>
 *
 * <p>Checking the body, reading its images and videos and running the turn are the shared {@link
 * CompletionService}'s (see it for the paths, the images and the videos); this class only writes
 * the Chat Completions shapes ({@link ChatOutput}). Thread-safe and stateless.
 */
public final class ChatCompletionsService {
  private final CompletionService completions;

  public ChatCompletionsService(CompletionService completions) {
    this.completions = Objects.requireNonNull(completions, "completions");
  }

  /**
   * Validates the body, resolves the model and reads every image; nothing is generated yet.
   *
   * @throws ApiException 400 for a bad body or image (contract 6.1, 8.3), 404 {@code model_not_found}
   */
  public ChatCall prepare(ObjectNode body) throws ApiException {
    return new ChatCall(completions.prepare(body));
  }
}
