package dev.loupe.runs.routing;

import dev.loupe.runs.ModelBackend;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule: model names matching {@code pattern} go to {@code backend}.
 *
 * @param pattern a glob on the request's {@code model}: {@code *} any run of characters, {@code ?}
 *     one character, anything else itself, case-insensitively ({@code qwen*}, {@code gpt-4o*}, {@code
 *     *}, {@code builtin})
 * @param kind {@code builtin} or {@code openai-compatible}, for listings and logs
 * @param backend the model that answers
 * @param visionFamily how the model turns images into tokens (contract section 9); default {@link
 *     VisionFamily#QWEN3_VL}
 */
public record ModelRoute(String pattern, String kind, ModelBackend backend, VisionFamily visionFamily) {
  public ModelRoute {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(backend, "backend");
    visionFamily = visionFamily == null ? VisionFamily.QWEN3_VL : visionFamily;
    if (pattern.isBlank()) {
      throw new IllegalArgumentException("a model pattern must not be blank, got: '" + pattern + "'");
    }
  }

  /** A route of the default vision family. */
  public ModelRoute(String pattern, String kind, ModelBackend backend) {
    this(pattern, kind, backend, null);
  }

  /** Whether {@code model} matches the pattern. */
  public boolean matches(String model) {
    return regex(pattern).matcher(model.toLowerCase(Locale.ROOT)).matches();
  }

  /** Whether the pattern has a wildcard, so it names a family rather than one model. */
  public boolean isGlob() {
    return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
  }

  private static Pattern regex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
