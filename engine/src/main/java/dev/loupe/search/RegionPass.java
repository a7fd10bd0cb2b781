package dev.loupe.search;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.keypoints.KeypointExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * The second look at a query in which nothing was found as a whole, in three steps, each searching
 * the copy tiers with a query made from the query's working pixels:
 *
 * <ol>
 *   <li>the whole query at half its size ({@link #halfScaleQuery}): a small crop of a picture, or
 *       a picture inside a screenshot whose chrome took most of the keypoint budget;
 *   <li>if that finds nothing, each of its four quadrants resampled to a long side of
 *       {@value #REGION_SIZE} pixels, the size pictures are indexed at: a picture that fills one
 *       tile of a collage (or one corner of a poster, a grid of thumbnails) shares a quarter of the
 *       query's keypoints and none of its hash, so the whole-image tiers miss it; searched alone,
 *       its hash and its own words find it like any downscaled copy. A quadrant claims only a
 *       picture it holds whole ({@link #holdsWhole}), placed in the query ({@link #placedInQuery}).
 * </ol>
 *
 * Costs up to six feature extractions and copy searches, which is why it runs only when the
 * whole query found no copy (docs/local-features.md, "Regions").
 */
public final class RegionPass {
  /** Long side, in pixels, a quadrant is resampled to before its features are extracted. */
  static final int REGION_SIZE = 512;
  /** Quadrants with a side under this many working pixels are not searched (too little to hash). */
  static final int MIN_SIDE = 64;

  private final FeatureExtractor extractor = new FeatureExtractor();
  private final KeypointExtractor keypoints = new KeypointExtractor();

  /** A box of the query's working pixels. */
  public record Box(int x, int y, int width, int height) {}

  /** The four quadrants of a {@code width} x {@code height} pixel buffer, or none if they would be too small. */
  public static List<Box> quadrants(int width, int height) {
    int halfW = width / 2;
    int halfH = height / 2;
    if (halfW < MIN_SIDE || halfH < MIN_SIDE) {
      return List.of();
    }
    var boxes = new ArrayList<Box>(4);
    for (int cell = 0; cell < 4; cell++) {
      int x = (cell & 1) == 0 ? 0 : halfW;
      int y = (cell & 2) == 0 ? 0 : halfH;
      boxes.add(new Box(x, y, (cell & 1) == 0 ? halfW : width - halfW, (cell & 2) == 0 ? halfH : height - halfH));
    }
    return boxes;
  }

  /**
   * The quadrants of {@code pixels}, each with its flat frame trimmed ({@link #trimFrame}): the
   * boxes the region pass searches.
   */
  public static List<Box> tiles(DecodedImage pixels) {
    var boxes = new ArrayList<Box>(4);
    for (Box box : quadrants(pixels.pixelWidth(), pixels.pixelHeight())) {
      boxes.add(trimFrame(pixels, box));
    }
    return boxes;
  }

  /** Share of a box's width (height) a frame trim may take from its left or right (top or bottom) side. */
  static final double MAX_TRIM = 0.2;
  /** Largest difference of a frame pixel's brightness from the frame's (of 255). */
  static final int FRAME_TOLERANCE = 16;
  /** Share of a line's pixels that must have the frame's brightness for the line to be frame. */
  static final double FRAME_SHARE = 0.97;

  /**
   * {@code box} without the flat lines of one brightness along its sides: the gutter and the outer
   * margin around a collage tile, which the middle split leaves in every quadrant. Left in, they
   * move the quadrant's hash by a median of 20 bits from the tile's picture on the dev set (8 with
   * the tile cut exactly), beyond the radius of 16. A side is trimmed while its next line has the
   * brightness of the side's outermost line ({@value #FRAME_SHARE} of its pixels within
   * {@value #FRAME_TOLERANCE} of 255), up to {@value #MAX_TRIM} of the box; a box the trim
   * would leave under {@value #MIN_SIDE} pixels is kept whole. A picture's own flat margin (a sky,
   * a studio backdrop) is trimmed as well, within that bound. Not the hash's own border trim
   * ({@code BorderTrimmer}, which still runs on the trimmed quadrant): it judges 4-pixel blocks and
   * keeps a band that does not end at clear content, so the half gutter at the split, narrower than
   * a block, stays.
   */
  static Box trimFrame(DecodedImage pixels, Box box) {
    byte[] bgr = pixels.bgr();
    int stride = pixels.pixelWidth() * 3;
    int maxX = (int) (box.width() * MAX_TRIM);
    int maxY = (int) (box.height() * MAX_TRIM);
    int x0 = box.x();
    int x1 = box.x() + box.width();
    int y0 = box.y();
    int y1 = box.y() + box.height();
    // Top and bottom first, then left and right over the rows that are left.
    int top = flatLines(bgr, y0 * stride + x0 * 3, stride, 3, box.width(), maxY);
    int bottom = flatLines(bgr, (y1 - 1) * stride + x0 * 3, -stride, 3, box.width(), maxY);
    int rows = box.height() - top - bottom;
    int left = flatLines(bgr, (y0 + top) * stride + x0 * 3, 3, stride, rows, maxX);
    int right = flatLines(bgr, (y0 + top) * stride + (x1 - 1) * 3, -3, stride, rows, maxX);
    int width = box.width() - left - right;
    if (width < MIN_SIDE || rows < MIN_SIDE) {
      return box;
    }
    return new Box(x0 + left, y0 + top, width, rows);
  }

  /**
   * How many lines, from the one starting at byte {@code start} and stepping by {@code next}, have
   * the brightness of the first one (up to {@code max}); a line is {@code length} pixels {@code along}
   * bytes apart. 0 when the first line is not flat itself. Brightness, not colour: JPEG stores colour
   * at half resolution in blocks of 16 pixels, which smears a tile's colours across a narrow gutter.
   */
  private static int flatLines(byte[] bgr, int start, int next, int along, int length, int max) {
    if (length <= 0) {
      return 0;
    }
    long sum = 0;
    for (int i = 0, at = start; i < length; i++, at += along) {
      sum += luma(bgr, at);
    }
    int level = (int) (sum / length);
    int lines = 0;
    for (int at = start; lines < max && isFrame(bgr, at, along, length, level); at += next) {
      lines++;
    }
    return lines;
  }

  private static boolean isFrame(byte[] bgr, int start, int along, int length, int level) {
    int allowedOff = length - (int) Math.ceil(length * FRAME_SHARE);
    int off = 0;
    for (int i = 0, at = start; i < length; i++, at += along) {
      if (Math.abs(luma(bgr, at) - level) > FRAME_TOLERANCE && ++off > allowedOff) {
        return false;
      }
    }
    return true;
  }

  /** Brightness (BT.601 luma, 0 to 255) of the BGR pixel at byte {@code at}. */
  static int luma(byte[] bgr, int at) {
    return (114 * (bgr[at] & 0xff) + 587 * (bgr[at + 1] & 0xff) + 299 * (bgr[at + 2] & 0xff)) / 1000;
  }

  /**
   * The whole query at half its working size: a small crop of a picture shows its details at two
   * to three times the scale the picture was indexed at, beyond what the keypoints' scale pyramid
   * matches well; shrunk, its keypoints fall at the indexed picture's scales.
   */
  public SearchQuery halfScaleQuery(SearchQuery q, boolean withKeypoints) {
    DecodedImage pixels = q.pixels();
    int longSide = Math.max(pixels.pixelWidth(), pixels.pixelHeight()) / 2;
    return regionQuery(q, new Box(0, 0, pixels.pixelWidth(), pixels.pixelHeight()), longSide, withKeypoints);
  }

  /** Whether the query is large enough for {@link #halfScaleQuery}. */
  public static boolean halvable(SearchQuery q) {
    return Math.min(q.pixels().pixelWidth(), q.pixels().pixelHeight()) / 2 >= MIN_SIDE;
  }

  /** The query the quadrant {@code box} of {@code q}'s pixels makes, with its own signature and keypoints. */
  public SearchQuery regionQuery(SearchQuery q, Box box, boolean withKeypoints) {
    return regionQuery(q, box, REGION_SIZE, withKeypoints);
  }

  private SearchQuery regionQuery(SearchQuery q, Box box, int longSide, boolean withKeypoints) {
    DecodedImage pixels = q.pixels();
    double up = (double) longSide / Math.max(box.width(), box.height());
    int outW = Math.max(1, (int) Math.round(box.width() * up));
    int outH = Math.max(1, (int) Math.round(box.height() * up));
    DecodedImage region = pixels.region(box.x(), box.y(), box.width(), box.height(), outW, outH);
    ImageSignature signature = extractor.extract(region);
    if (withKeypoints) {
      signature = signature.withLocal(keypoints.extract(region, KeypointExtractor.QUERY_KEYPOINTS));
    }
    return new SearchQuery(signature, region.width(), region.height(), List.of(), () -> LocalFeatures.EMPTY, region);
  }

  /**
   * How a copy found in a quadrant differs from the whole query: the region of the query it
   * occupies, in the query's pixels (the quadrant, or the part of it the copy was aligned to), and
   * its share of the query; the rest as the quadrant's search found it.
   */
  static Differences placedInQuery(SearchHit hit, SearchQuery q, Box box) {
    DecodedImage pixels = q.pixels();
    double sx = (double) q.width() / pixels.pixelWidth();
    double sy = (double) q.height() / pixels.pixelHeight();
    double left = box.x() * sx;
    double top = box.y() * sy;
    double width = box.width() * sx;
    double height = box.height() * sy;
    Differences d = hit.differences();
    if (d != null && d.region() != null) {
      // The region's box is in the quadrant's full-size pixels (its share of the query's, rounded).
      double rx = width / Math.max(1, Math.round(width));
      double ry = height / Math.max(1, Math.round(height));
      left += d.region().x() * rx;
      top += d.region().y() * ry;
      width = d.region().width() * rx;
      height = d.region().height() * ry;
    }
    int x = (int) Math.clamp(Math.round(left), 0, q.width() - 1);
    int y = (int) Math.clamp(Math.round(top), 0, q.height() - 1);
    int w = (int) Math.clamp(Math.round(width), 1, q.width() - x);
    int h = (int) Math.clamp(Math.round(height), 1, q.height() - y);
    double share = (double) w * h / ((double) q.width() * q.height());
    var region = new Differences.Region(x, y, w, h);
    return d == null
        ? new Differences(1, share, (double) hit.width() / w, 0, false, false, false, region)
        : new Differences(d.hitCoverage(), share, d.scale(), d.rotation(), d.mirrored(), d.recoloured(), d.perspective(),
            region);
  }

  /** Share of a picture a quadrant must show for a keypoint copy claim: all of it, but for the edges. */
  static final double WHOLE_TILE = 0.9;
  /** ... and the share of the quadrant the picture must fill. */
  static final double TILE_FILL = 0.8;

  /**
   * Whether a copy a quadrant found by keypoints is a picture the quadrant holds whole: the quadrant
   * shows at least {@value #WHOLE_TILE} of it and it fills at least {@value #TILE_FILL} of the
   * quadrant. On the dev set, every copy claim a quadrant made of another picture was an alignment
   * of a caption band or a frame over 8 to 53% of that picture (one over 81% filling 75% of the
   * quadrant), while collage tiles were whole (coverage 0.99 to 1, filling 0.91 to 0.95).
   */
  static boolean holdsWhole(Differences d) {
    return d != null && d.hitCoverage() >= WHOLE_TILE && d.queryCoverage() >= TILE_FILL;
  }
}
