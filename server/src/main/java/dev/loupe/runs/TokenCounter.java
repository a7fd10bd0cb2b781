package dev.loupe.runs;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingResult;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with the {@code o200k_base} encoding, the closest public stand-in for the hosted
 * models' tokenizers. Thread-safe; the encoding tables load once, on first use (about 100 ms).
 */
public final class TokenCounter {
  /**
   * What one input image costs, whatever its size: a 1024×1024 image under the Qwen formula of
   * contract section 9 ({@code (1024/32)² + 2}). Fixed because the builtin model never decodes images
   * for accounting; an upstream model reports its own counts.
   */
  public static final int IMAGE_TOKENS = 1026;

  private static final class Holder {
    static final Encoding ENCODING = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  private TokenCounter() {}

  /** Tokens in {@code text}; 0 for null. */
  public static int count(String text) {
    return text == null || text.isEmpty() ? 0 : Holder.ENCODING.countTokens(text);
  }

  /** The longest prefix of {@code text} that fits in {@code maxTokens} tokens. */
  public static String truncate(String text, int maxTokens) {
    EncodingResult result = Holder.ENCODING.encode(text, maxTokens);
    if (!result.isTruncated()) {
      return text;
    }
    String prefix = Holder.ENCODING.decode(result.getTokens());
    // A token boundary can split a multi-byte character; drop the broken tail.
    int end = prefix.length();
    while (end > 0 && prefix.charAt(end - 1) == '\uFFFD') {
      end--;
    }
    return prefix.substring(0, end);
  }
}
