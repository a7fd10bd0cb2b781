package dev.loupe.features;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.UnaryOperator;

/** A named edit that produces a copy of an image, applied at the source resolution. */
record CopyEdit(String name, boolean hashCopy, UnaryOperator<BufferedImage> apply) {
  /**
   * The edits a copy detector must survive ({@code hashCopy}), then the heavier ones only the
   * descriptor is expected to survive.
   */
  static List<CopyEdit> all() {
    return List.of(
        new CopyEdit("resize 25% area", true, i -> Edits.scaleArea(i, 0.25)),
        new CopyEdit("jpeg q15", true, i -> Edits.jpeg(i, 15)),
        new CopyEdit("grayscale", true, Edits::grayscale),
        new CopyEdit("brightness +30%", true, i -> Edits.brightness(i, 1.3)),
        new CopyEdit("brightness -30%", true, i -> Edits.brightness(i, 0.7)),
        new CopyEdit("contrast +30%", true, i -> Edits.contrast(i, 1.3)),
        new CopyEdit("contrast -30%", true, i -> Edits.contrast(i, 0.7)),
        new CopyEdit("blur sigma 1.5", true, i -> Edits.blur(i, 1.5)),
        new CopyEdit("border 15% white", true, i -> Edits.pad(i, 0.15, Color.WHITE)),
        new CopyEdit("border 15% black", true, i -> Edits.pad(i, 0.15, Color.BLACK)),
        new CopyEdit("border 15% teal", true, i -> Edits.pad(i, 0.15, new Color(0, 128, 128))),
        new CopyEdit("screenshot frame", true, Edits::screenshotFrame),
        new CopyEdit("jpeg q15 + resize 25%", true, i -> Edits.jpeg(Edits.scaleArea(i, 0.25), 15)),
        new CopyEdit("caption band 20%", false, i -> Edits.caption(i, 0.2, "Breaking: look at this")),
        new CopyEdit("crop 50% area, centre", false, i -> Edits.crop(i, 0.5, 0.5, 0.5)),
        new CopyEdit("crop 50% area, corner", false, i -> Edits.crop(i, 0.5, 0.0, 0.0)));
  }
}
