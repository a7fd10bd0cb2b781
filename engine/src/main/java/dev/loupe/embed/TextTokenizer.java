package dev.loupe.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The model's own {@code tokenizer.json}, run by the HuggingFace tokenizers library (its native
 * library ships inside the jar; nothing is downloaded). Texts are truncated by the tokenizer (so a
 * post-processor's end token is kept) and padded here to the context length with the model's pad
 * token, whose id the tokenizer itself gives. Thread-safe.
 */
final class TextTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int contextLength;
  private final int padId;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, int contextLength, int padId) {
    this.tokenizer = tokenizer;
    this.contextLength = contextLength;
    this.padId = padId;
  }

  static TextTokenizer open(Path tokenizerJson, int contextLength, String padToken, String where)
      throws ModelDirectoryException {
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson)
          .optMaxLength(contextLength)
          .optTruncation(true)
          .optPadding(false)
          .optAddSpecialTokens(true)
          .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelDirectoryException(where + "textual/tokenizer.json is not a readable tokenizer: "
          + firstLine(e.getMessage()), e);
    }
    long[] pad = tokenizer.encode(padToken, false, false).getIds();
    if (pad.length != 1) {
      tokenizer.close();
      throw new ModelDirectoryException(where + "the pad token \"" + padToken
          + "\" of textual/tokenizer_config.json is not one token of textual/tokenizer.json");
    }
    return new TextTokenizer(tokenizer, contextLength, (int) pad[0]);
  }

  /** The token ids of {@code text}, exactly {@code contextLength} of them. */
  int[] tokens(String text) {
    Encoding encoding = tokenizer.encode(text);
    long[] ids = encoding.getIds();
    int[] out = new int[contextLength];
    java.util.Arrays.fill(out, padId);
    for (int i = 0; i < Math.min(ids.length, contextLength); i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
