package dev.loupe.bench;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The edits the quality benchmark measures recall for, by the name used in directory names and in
 * {@code manifest.csv}; each delegates to its method in {@link Edits}.
 *
 * <p>{@link #encode} gives the bytes of the query file: JPEG quality {@value #QUERY_QUALITY} for all
 * edits but the two that set their own quality: {@link #JPEG15}, whose file is the source written
 * once at quality 15, and {@link #COMBO}, whose file is the cropped and downscaled source written
 * once at quality {@value Edits#COMBO_QUALITY} (decoding and re-encoding them at 90 would only blur
 * their artifacts).
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
  STRETCH,
  CROP30_CORNER,
  CROP30_CENTRE,
  ROTATE_FREE,
  PERSPECTIVE,
  CAPTION25,
  SCREENSHOT,
  COMBO,
  CROP20_CORNER,
  COLLAGE,
  ROTATE45_INNER,
  MEME,
  OVERLAY15;

  /** JPEG quality of every query file except those of {@link #JPEG15} and {@link #COMBO}. */
  public static final int QUERY_QUALITY = 90;

  /** The lower-case name, for example {@code "brightness_contrast"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Applies the edit; {@code random} is drawn from only by the edits that need a choice. */
  public BufferedImage apply(BufferedImage src, Random random) {
    return apply(src, random, List.of());
  }

  /**
   * Applies the edit; {@link #COLLAGE} and {@link #OVERLAY15} take their other pictures from
   * {@code fillers} (pictures indexed nowhere), or draw shapes when it is empty.
   */
  public BufferedImage apply(BufferedImage src, Random random, List<BufferedImage> fillers) {
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
      case CROP30_CORNER -> Edits.crop30Corner(src, random);
      case CROP30_CENTRE -> Edits.crop30Centre(src, random);
      case ROTATE_FREE -> Edits.rotateFree(src, random);
      case PERSPECTIVE -> Edits.perspective(src, random);
      case CAPTION25 -> Edits.caption25(src, random);
      case SCREENSHOT -> Edits.screenshot(src, random);
      case COMBO -> Edits.combo(src, random);
      case CROP20_CORNER -> Edits.crop20Corner(src, random);
      case COLLAGE -> Edits.collage(src, fillers, random);
      case ROTATE45_INNER -> Edits.rotate45Inner(src, random);
      case MEME -> Edits.meme(src, random);
      case OVERLAY15 -> Edits.overlay15(src, fillers, random);
    };
  }

  /** The JPEG quality of the query file: 15, {@value Edits#COMBO_QUALITY} or {@value #QUERY_QUALITY}. */
  public int quality() {
    return switch (this) {
      case JPEG15 -> 15;
      case COMBO -> Edits.COMBO_QUALITY;
      default -> QUERY_QUALITY;
    };
  }

  /** The JPEG file of the edited query, see the class doc; draws from {@code random} as {@link #apply} does. */
  public byte[] encode(BufferedImage src, Random random) {
    return encode(src, random, List.of());
  }

  /** The JPEG file of the edited query, with {@code fillers} as in {@link #apply(BufferedImage, Random, List)}. */
  public byte[] encode(BufferedImage src, Random random, List<BufferedImage> fillers) {
    BufferedImage beforeEncoding = switch (this) {
      case JPEG15 -> src;
      case COMBO -> Edits.comboGeometry(src, random);
      default -> apply(src, random, fillers);
    };
    return Edits.jpeg(beforeEncoding, quality());
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
