package dev.loupe.runs.routing;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a route's model cuts images into tokens, set per route with {@code "vision_family"}
 * (contract section 9): it fixes the patch factor f that image token accounting and smart
 * resizing use.
 */
public enum VisionFamily {
  /** Qwen3-VL and the newer hosted qwen-vl models, and the default: ViT patch 16 × merge 2, f = 32. */
  QWEN3_VL("qwen3-vl", 32),
  /** Qwen2.5-VL and QVQ: ViT patch 14 × merge 2, f = 28. */
  QWEN2_5_VL("qwen2.5-vl", 28);

  private final String wireName;
  private final int factor;

  VisionFamily(String wireName, int factor) {
    this.wireName = wireName;
    this.factor = factor;
  }

  /** The name in a routes file: {@code qwen3-vl} or {@code qwen2.5-vl}. */
  public String wireName() {
    return wireName;
  }

  /** Pixels per token side: 32 or 28. */
  public int factor() {
    return factor;
  }

  /**
   * The family named {@code name}, case-insensitively.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static VisionFamily parse(String name) {
    for (VisionFamily family : values()) {
      if (family.wireName.equals(name.strip().toLowerCase(Locale.ROOT))) {
        return family;
      }
    }
    throw new IllegalArgumentException("vision_family must be one of "
        + Arrays.stream(values()).map(VisionFamily::wireName).toList() + ", got: '" + name + "'");
  }
}
