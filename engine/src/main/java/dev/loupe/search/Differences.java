package dev.loupe.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a copy differs from the query, as geometric verification of their local features shows it.
 * Present only on hits that were verified (copies found by keypoints, and hash copies whose
 * keypoints could be aligned); similar images have none.
 *
 * @param hitCoverage share of the hit's area that the query shows, 0..1 (1: the query shows all of
 *     the hit; 0.3: the query is a crop keeping 30% of it)
 * @param queryCoverage share of the query's area that the hit shows, 0..1 (below 1 when the hit is
 *     a crop of the query, or the query adds borders, a frame or a caption band around it)
 * @param scale linear size of the hit's content in the hit file relative to the same content in the
 *     query file (2: the hit is twice as large)
 * @param rotation degrees the query is turned relative to the hit, clockwise, in (-180, 180]
 * @param mirrored whether the query is mirrored relative to the hit
 * @param recoloured whether colours differ over the matched region (grey, tinted, brightness or
 *     contrast changed)
 * @param region where the hit lies in the query, in query pixels, when it shows only part of the
 *     query ({@link #extended()}: a tile of a collage, a picture inside a screenshot); null otherwise
 * @param perspective whether the alignment needed a perspective warp beyond rotation and scale
 */
public record Differences(
    double hitCoverage,
    double queryCoverage,
    double scale,
    double rotation,
    boolean mirrored,
    boolean recoloured,
    boolean perspective,
    Region region) {

  /** Coverage under this counts as cropped. */
  public static final double CROP_COVERAGE = 0.9;
  /** A linear scale further than this from 1 counts as resized. */
  public static final double RESIZE_TOLERANCE = 0.05;
  /** Rotations within this many degrees of 0 count as upright. */
  public static final double ROTATION_TOLERANCE = 2.0;

  /**
   * A box in the query's pixels.
   *
   * @param x left edge, from 0
   * @param y top edge, from 0
   */
  public record Region(int x, int y, int width, int height) {
    public Region {
      if (x < 0 || y < 0 || width < 1 || height < 1) {
        throw new IllegalArgumentException("not a box: " + x + "," + y + " " + width + "x" + height);
      }
    }
  }

  /** Differences without a region. */
  public Differences(double hitCoverage, double queryCoverage, double scale, double rotation, boolean mirrored,
      boolean recoloured, boolean perspective) {
    this(hitCoverage, queryCoverage, scale, rotation, mirrored, recoloured, perspective, null);
  }

  public Differences {
    if (!(hitCoverage >= 0 && hitCoverage <= 1) || !(queryCoverage >= 0 && queryCoverage <= 1)) {
      throw new IllegalArgumentException("coverages must be in 0..1, got: " + hitCoverage + ", " + queryCoverage);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be positive, got: " + scale);
    }
    if (!(rotation > -180 && rotation <= 180)) {
      throw new IllegalArgumentException("rotation must be in (-180, 180], got: " + rotation);
    }
  }

  /** The query shows only part of the hit. */
  public boolean cropped() {
    return hitCoverage < CROP_COVERAGE;
  }

  /** The hit shows only part of the query (the query adds borders, frames, or more picture). */
  public boolean extended() {
    return queryCoverage < CROP_COVERAGE;
  }

  public boolean resized() {
    return Math.abs(scale - 1) > RESIZE_TOLERANCE;
  }

  public boolean rotated() {
    return Math.abs(rotation) > ROTATION_TOLERANCE;
  }

  /**
   * How much was changed, 0 (the same picture at the same size) upwards; orders copies for the
   * "most changed" sort. Each change adds its share: lost area (1 - the product of the
   * coverages), 0.1 per doubling or halving of size, rotation as a fraction of a half turn, 0.25
   * for a mirror, 0.25 for recolouring, 0.25 for a perspective warp.
   */
  public double amount() {
    double lost = 1 - hitCoverage * queryCoverage;
    double size = 0.1 * Math.abs(Math.log(scale) / Math.log(2));
    double turn = rotated() ? Math.abs(rotation) / 180 : 0;
    return lost + size + turn + (mirrored ? 0.25 : 0) + (recoloured ? 0.25 : 0) + (perspective ? 0.25 : 0);
  }

  /** Short English phrases, strongest first, for example {@code "cropped to 42% of the image"}. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    if (cropped()) {
      out.add(String.format(Locale.ROOT, "cropped to %d%% of the image", Math.round(100 * hitCoverage)));
    }
    if (extended()) {
      out.add(String.format(Locale.ROOT, "the image fills %d%% of the query (borders, frame or more picture)",
          Math.round(100 * queryCoverage)));
    }
    if (rotated()) {
      out.add(String.format(Locale.ROOT, "rotated %d° %s", Math.round(Math.abs(rotation)),
          rotation > 0 ? "clockwise" : "counterclockwise"));
    }
    if (mirrored) {
      out.add("mirrored");
    }
    if (perspective) {
      out.add("perspective changed");
    }
    if (resized()) {
      out.add(String.format(Locale.ROOT, "resized (the image is %.2fx the query's size)", scale));
    }
    if (recoloured) {
      out.add("recoloured");
    }
    return out;
  }
}
