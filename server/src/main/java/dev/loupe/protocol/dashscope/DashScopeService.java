package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.completion.CompletionService;
import dev.loupe.protocol.ApiException;
import java.util.Objects;

/**
 * DashScope's native {@code multimodal-generation} API without HTTP (contract section 7). The HTTP
 * layer parses the body and calls:
 *
 * <pre>{@code
 * DashScopeCall call = service.prepare(body, sseHeader, requestId); // ApiException: 400, 404
 * if (call.streaming()) {
 *   call.stream(sink);                  // ApiException if it fails before the first chunk
 * } else {
 *   DashScopeResponse done = call.await();
 * }
 * }</pre>
 *
 * and writes every {@link ApiException} with {@link DashScopeErrors#body}, never in the OpenAI
 * envelope.
 *
 * <p><b>One path for both protocols.</b> A native body is translated into the Chat Completions
 * request it means ({@code input.messages} items {@code {text}} and {@code {image}} become {@code
 * text} and {@code image_url} parts, {@code {video}} items {@code video} (a frame list) or {@code
 * video_url} (a file) parts, {@code parameters} go top level) and prepared by the same
 * {@link CompletionService}: the same model routes, image checks (8.3), smart resize and token
 * accounting (9), the builtin model with {@code image_search} when {@code parameters.tools} offers
 * it, an upstream otherwise. Only the reply's shape differs.
 *
 * <p><b>Video</b> is sampled into frames that reach an upstream as images (see {@link
 * CompletionService}); usage reports their tokens as {@code video_tokens}, included in {@code
 * input_tokens}. A refused video (a 3-frame list, a file that is not a video) is 400 {@code
 * InvalidParameter} with the limit and the value in the message.
 *
 * <p><b>Not served:</b> the SDK's local-file upload (7.6), which {@link #LOCAL_UPLOAD_REFUSED}
 * explains at {@code getPolicy}.
 *
 * <p>Thread-safe and stateless.
 */
public final class DashScopeService {
  /**
   * The message of the 400 {@code InvalidParameter} answer to {@code GET
   * /api/v1/uploads?action=getPolicy}: Loupe does not host uploads (contract 7.6, "refuse it clearly").
   */
  public static final String LOCAL_UPLOAD_REFUSED =
      "Local file upload is not supported; pass an http(s) URL or a base64 data URL";

  private final CompletionService completions;

  /** @param completions the completion service whose routes and image reading Chat Completions shares */
  public DashScopeService(CompletionService completions) {
    this.completions = Objects.requireNonNull(completions, "completions");
  }

  /** What {@code getPolicy} answers: 400 {@code InvalidParameter} with {@link #LOCAL_UPLOAD_REFUSED}. */
  public static ApiException localUploadRefused() {
    return DashScopeErrors.invalid(LOCAL_UPLOAD_REFUSED);
  }

  /**
   * Validates and translates the body, resolves the model and reads every image; nothing is
   * generated yet.
   *
   * @param stream whether the request carried {@code X-DashScope-SSE: enable}: the only stream
   *     switch on this path (contract 1.3)
   * @param requestId the response's {@code x-request-id}, repeated as {@code request_id} in bodies
   * @throws ApiException 400 for a bad body or image, 404 for an unknown model
   */
  public DashScopeCall prepare(ObjectNode body, boolean stream, String requestId) throws ApiException {
    DashScopeRequest request = DashScopeRequestParser.parse(body, stream);
    return new DashScopeCall(request, completions.prepare(request.chatBody()), requestId);
  }
}
