package dev.loupe.search;

import dev.loupe.features.FeatureExtractor;
import dev.loupe.features.ImageSignature;
import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.keypoints.KeypointExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * The second look at a query in which nothing was found as a whole, in two steps, each searching
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
 * Costs up to five feature extractions and copy searches, which is why it runs only when the
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
