package dev.loupe.bench;

import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Random;

/**
 * The edits the quality benchmark measures recall for, by the name used in directory names and in
 * {@code manifest.csv}; each delegates to its method in {@link Edits}.
 *
 * <p>{@link #encode} gives the bytes of the query file: JPEG quality {@value #QUERY_QUALITY} for all
 * edits but {@link #JPEG15}, whose file is the source written once at quality 15 (decoding and
 * re-encoding it at 90 would only blur its artifacts).
 */
public enum Edit {
  JPEG15,
  DOWNSCALE25,
  ROTATE90,
  MIRROR,
  GRAYSCALE,
  BRIGHTNESS_CONTRAST,
  BLUR,
  CAPTION,
  BORDER15,
  CROP50,
  STRETCH;

  /** JPEG quality of every query file except those of {@link #JPEG15}. */
  public static final int QUERY_QUALITY = 90;

  /** The lower-case name, for example {@code "brightness_contrast"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Applies the edit; {@code random} is drawn from only by the edits that need a choice. */
  public BufferedImage apply(BufferedImage src, Random random) {
    return switch (this) {
      case JPEG15 -> Edits.jpeg15(src);
      case DOWNSCALE25 -> Edits.downscale25(src);
      case ROTATE90 -> Edits.rotate90(src);
      case MIRROR -> Edits.mirror(src);
      case GRAYSCALE -> Edits.grayscale(src);
      case BRIGHTNESS_CONTRAST -> Edits.brightnessContrast(src);
      case BLUR -> Edits.blur(src);
      case CAPTION -> Edits.caption(src, random);
      case BORDER15 -> Edits.border15(src, random);
      case CROP50 -> Edits.crop50(src, random);
      case STRETCH -> Edits.stretch(src);
    };
  }

  /** The JPEG file of the edited query, see the class doc. */
  public byte[] encode(BufferedImage src, Random random) {
    return this == JPEG15 ? Edits.jpeg(src, 15) : Edits.jpeg(apply(src, random), QUERY_QUALITY);
  }

  /** The edit with this {@link #wireName()}. */
  public static Edit ofWireName(String name) {
    for (Edit edit : values()) {
      if (edit.wireName().equals(name)) {
        return edit;
      }
    }
    throw new IllegalArgumentException("unknown edit: " + name);
  }
}
