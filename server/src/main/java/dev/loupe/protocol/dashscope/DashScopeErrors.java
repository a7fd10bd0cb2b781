package dev.loupe.protocol.dashscope;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.protocol.ApiException;

/**
 * The native error envelope {@code {"code", "message", "request_id"}} (contract 7.4, 8.2), for
 * HTTP errors and {@code event:error} data alike. The SDK reads only these three keys and the HTTP
 * status, so the OpenAI code of a shared check (an image limit, an unknown model) becomes the
 * native code of its status; the message is kept as is, so image limits still say what the loader
 * found.
 */
public final class DashScopeErrors {
  /** The code for bad input, images included (contract 7.4). */
  public static final String INVALID_PARAMETER = "InvalidParameter";

  private DashScopeErrors() {}

  /** 400 {@code InvalidParameter} with {@code message}. */
  static ApiException invalid(String message) {
    return new ApiException(400, "invalid_request_error", INVALID_PARAMETER, null, message);
  }

  /**
   * The native code for a failure (contract 7.4): a code that is already native (capitalised, such
   * as {@code InvalidParameter}) is kept; otherwise the status decides.
   *
   * @param code the failure's own code, maybe OpenAI's ({@code image_too_small}), or null
   */
  public static String code(int status, String code) {
    if (code != null && !code.isEmpty() && Character.isUpperCase(code.charAt(0))) {
      return code;
    }
    return switch (status) {
      case 400, 413, 415, 422 -> INVALID_PARAMETER;
      case 401 -> "InvalidApiKey";
      case 403 -> "AccessDenied";
      case 404 -> "model_not_found".equals(code) ? "ModelNotFound" : "NotFound";
      case 405 -> "MethodNotAllowed";
      case 429 -> "Throttling.RateQuota";
      case 503 -> "ServiceUnavailable";
      // An upstream that stayed silent: DashScope's own name for a timed-out request.
      case 504 -> "RequestTimeOut";
      default -> status >= 500 ? "InternalError" : INVALID_PARAMETER;
    };
  }

  /** {@code {"code", "message", "request_id"}} for {@code failure}: the DashScope envelope. */
  public static ObjectNode body(ApiException failure, String requestId) {
    return JsonNodeFactory.instance.objectNode().put("code", code(failure.status(), failure.code()))
        .put("message", failure.getMessage()).put("request_id", requestId);
  }
}
