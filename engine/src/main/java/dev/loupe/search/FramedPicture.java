package dev.loupe.search;

import dev.loupe.image.DecodedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds a picture shown inside a frame of one brightness: the picture in a screenshot of a browser
 * or a phone, which sits on the page's flat background between the window's bars, a side panel and
 * lines of text. Searched alone, such a picture's hash finds its original like any downscaled copy;
 * the whole screenshot's hash does not, and its chrome takes keypoints from the picture.
 *
 * <p>The picture is the largest box whose four outside lines (one line away, {@link #GAP}) are
 * frame (at least {@value #FRAME_SHARE_PERCENT}% of each line within {@value #TOLERANCE} levels of
 * the frame's brightness), whose four inside lines are mostly not ({@value #EDGE_SHARE_PERCENT}% of
 * each line or more), and which no line of frame crosses from side to side (a box around the
 * picture and the text under it has the gaps between the text's lines across it). The frame's
 * brightness is one of the two most common brightnesses of the query's flat pixels. The box covers
 * {@value #MIN_SHARE_PERCENT}% to {@value #MAX_SHARE_PERCENT}% of the query, so a picture inside a
 * thin plain border (which the hash trims itself) or one tile of a collage (which the quadrants
 * find) is not taken for one. Its outermost line on each side is dropped ({@link #BLEND}).
 *
 * <p>Written here rather than taken from a library: OpenCV's contour and line finders find edges,
 * not a frame of one brightness around a box, and the test needs the frame's line shares, which a
 * few prefix sums give.
 */
final class FramedPicture {
  static final int FRAME_SHARE_PERCENT = 97;
  static final int EDGE_SHARE_PERCENT = 50;
  static final int MIN_SHARE_PERCENT = 30;
  static final int MAX_SHARE_PERCENT = 90;
  /** Lines that can start or end a box, kept per side: the ones where most frame turns into picture. */
  private static final int MAX_CANDIDATES = 48;
  /** Share of a line's length where the frame must turn into picture for the line to be a candidate edge. */
  private static final double CANDIDATE_SHARE = 0.1;
  /**
   * Largest difference of a frame pixel's brightness from the frame's (of 255): tighter than a
   * collage gutter's ({@link RegionPass#FRAME_TOLERANCE}), since a page's background is drawn, not
   * photographed, and a dark picture's edge can be within 16 levels of a dark theme's background.
   */
  static final int TOLERANCE = 8;
  /**
   * Lines skipped between a box and the frame line outside it: JPEG's ringing along a picture's
   * edge spills over the next line of the background.
   */
  static final int GAP = 1;
  /**
   * Lines dropped from each side of the box found: on the dev set's screenshots, the picture's hash
   * was within 16 bits of its original's for 46 of the 46 pictures with a usable hash without them,
   * 42 with them (median 4 bits against 8), and 46 and 36 with two and three lines dropped.
   */
  static final int BLEND = 1;
  /** Largest step in brightness to a right or lower neighbour for a pixel to count as flat. */
  private static final int FLAT_STEP = 2;

  private final int width;
  private final int height;
  private final int[] luma;

  private FramedPicture(int width, int height, int[] luma) {
    this.width = width;
    this.height = height;
    this.luma = luma;
  }

  /** The box of {@code pixels} that holds a framed picture, if there is one. */
  static Optional<RegionPass.Box> find(DecodedImage pixels) {
    int w = pixels.pixelWidth();
    int h = pixels.pixelHeight();
    // Room for the smallest box, its dropped lines, and a skipped line and a frame line on each side.
    int least = RegionPass.MIN_SIDE + 2 * BLEND + 2 * (GAP + 1);
    if (w < least || h < least) {
      return Optional.empty();
    }
    byte[] bgr = pixels.bgr();
    int[] luma = new int[w * h];
    for (int i = 0; i < luma.length; i++) {
      luma[i] = RegionPass.luma(bgr, i * 3);
    }
    var picture = new FramedPicture(w, h, luma);
    RegionPass.Box best = null;
    for (int level : picture.frameLevels()) {
      RegionPass.Box box = new Mask(picture, level).largestBox();
      if (box != null && (best == null || area(box) > area(best))) {
        best = box;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    // Without its outermost lines: the first line that differs from the frame is most often the one
    // JPEG and the page's scaler blended with it.
    return Optional.of(new RegionPass.Box(best.x() + BLEND, best.y() + BLEND, best.width() - 2 * BLEND,
        best.height() - 2 * BLEND));
  }

  private static long area(RegionPass.Box b) {
    return (long) b.width() * b.height();
  }

  /**
   * Up to two brightnesses a frame may have: the most common among flat pixels, and the next one
   * at least two tolerances away if it covers a twentieth of the query (a picture's own flat area
   * can outnumber the page's background).
   */
  private int[] frameLevels() {
    long[] histogram = new long[256];
    for (int y = 0; y + 1 < height; y++) {
      for (int x = 0, at = y * width; x + 1 < width; x++, at++) {
        int v = luma[at];
        if (Math.abs(luma[at + 1] - v) <= FLAT_STEP && Math.abs(luma[at + width] - v) <= FLAT_STEP) {
          histogram[v]++;
        }
      }
    }
    int tolerance = TOLERANCE;
    long[] near = new long[256];
    for (int v = 0; v < 256; v++) {
      for (int d = -tolerance / 2; d <= tolerance / 2; d++) {
        if (v + d >= 0 && v + d < 256) {
          near[v] += histogram[v + d];
        }
      }
    }
    int first = argMax(near, -1);
    if (near[first] == 0) {
      return new int[0];
    }
    int second = argMax(near, first);
    boolean secondCounts = second >= 0 && near[second] * 20 >= (long) width * height;
    return secondCounts ? new int[] {first, second} : new int[] {first};
  }

  /** The brightness with most flat pixels near it, at least two tolerances from {@code away} (if not -1). */
  private static int argMax(long[] near, int away) {
    int best = -1;
    for (int v = 0; v < near.length; v++) {
      if (away >= 0 && Math.abs(v - away) <= 2 * TOLERANCE) {
        continue;
      }
      if (best < 0 || near[v] > near[best]) {
        best = v;
      }
    }
    return best;
  }

  /** Which pixels have the frame's brightness, with prefix counts along rows and columns. */
  private static final class Mask {
    private final int w;
    private final int h;
    /** Frame pixels of row y among columns [0, x): {@code rows[y * (w + 1) + x]}. */
    private final int[] rows;
    /** Frame pixels of column x among rows [0, y): {@code columns[x * (h + 1) + y]}. */
    private final int[] columns;
    private final boolean[] frame;

    Mask(FramedPicture p, int level) {
      w = p.width;
      h = p.height;
      frame = new boolean[w * h];
      for (int i = 0; i < frame.length; i++) {
        frame[i] = Math.abs(p.luma[i] - level) <= TOLERANCE;
      }
      rows = new int[h * (w + 1)];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          rows[y * (w + 1) + x + 1] = rows[y * (w + 1) + x] + (frame[y * w + x] ? 1 : 0);
        }
      }
      columns = new int[w * (h + 1)];
      for (int x = 0; x < w; x++) {
        for (int y = 0; y < h; y++) {
          columns[x * (h + 1) + y + 1] = columns[x * (h + 1) + y] + (frame[y * w + x] ? 1 : 0);
        }
      }
    }

    private int inRow(int y, int x0, int x1) {
      return rows[y * (w + 1) + x1] - rows[y * (w + 1) + x0];
    }

    private int inColumn(int x, int y0, int y1) {
      return columns[x * (h + 1) + y1] - columns[x * (h + 1) + y0];
    }

    private static boolean isFrame(int count, int length) {
      return count * 100L >= (long) FRAME_SHARE_PERCENT * length;
    }

    private static boolean isEdge(int count, int length) {
      return (length - count) * 100L >= (long) EDGE_SHARE_PERCENT * length;
    }

    /** Whether column {@code outside} is frame along rows [y0 - 1 - GAP, y1 + 1 + GAP) and column {@code inside} mostly not along [y0, y1). */
    private boolean columnSide(int outside, int inside, int y0, int y1) {
      return isFrame(inColumn(outside, y0 - 1 - GAP, y1 + 1 + GAP), y1 - y0 + 2 + 2 * GAP) && isEdge(inColumn(inside, y0, y1), y1 - y0);
    }

    /** Whether row {@code outside} is frame along columns [x0 - 1 - GAP, x1 + 1 + GAP) and row {@code inside} mostly not along [x0, x1). */
    private boolean rowSide(int outside, int inside, int x0, int x1) {
      return isFrame(inRow(outside, x0 - 1 - GAP, x1 + 1 + GAP), x1 - x0 + 2 + 2 * GAP) && isEdge(inRow(inside, x0, x1), x1 - x0);
    }

    /**
     * Whether a line of frame crosses the box [x0, x1) x [y0, y1) from side to side: then it holds two
     * things with the frame between them (a picture and the text under it, two thumbnails).
     */
    private boolean split(int x0, int y0, int x1, int y1) {
      for (int y = y0 + 1; y < y1 - 1; y++) {
        if (isFrame(inRow(y, x0, x1), x1 - x0)) {
          return true;
        }
      }
      for (int x = x0 + 1; x < x1 - 1; x++) {
        if (isFrame(inColumn(x, y0, y1), y1 - y0)) {
          return true;
        }
      }
      return false;
    }

    RegionPass.Box largestBox() {
      // Candidate edges: lines where frame above (left) turns into picture below (right), and back.
      int[] tops = candidates(true, true);
      int[] bottoms = candidates(true, false);
      int[] lefts = candidates(false, true);
      int[] rights = candidates(false, false);
      long total = (long) w * h;
      long best = 0;
      RegionPass.Box box = null;
      var leftOk = new ArrayList<Integer>();
      var rightOk = new ArrayList<Integer>();
      for (int y0 : tops) {
        for (int y1 : bottoms) {
          if (y1 - y0 < RegionPass.MIN_SIDE + 2 * BLEND || (long) (y1 - y0) * w * 100 < MIN_SHARE_PERCENT * total) {
            continue;
          }
          leftOk.clear();
          rightOk.clear();
          for (int x0 : lefts) {
            if (columnSide(x0 - 1 - GAP, x0, y0, y1)) {
              leftOk.add(x0);
            }
          }
          for (int x1 : rights) {
            if (columnSide(x1 + GAP, x1 - 1, y0, y1)) {
              rightOk.add(x1);
            }
          }
          for (int x0 : leftOk) {
            for (int x1 : rightOk) {
              long area = (long) (x1 - x0) * (y1 - y0);
              if (x1 - x0 < RegionPass.MIN_SIDE + 2 * BLEND || area <= best || area * 100 < MIN_SHARE_PERCENT * total
                  || area * 100 > MAX_SHARE_PERCENT * total) {
                continue;
              }
              if (rowSide(y0 - 1 - GAP, y0, x0, x1) && rowSide(y1 + GAP, y1 - 1, x0, x1) && !split(x0, y0, x1, y1)) {
                best = area;
                box = new RegionPass.Box(x0, y0, x1 - x0, y1 - y0);
              }
            }
          }
        }
      }
      return box;
    }

    /**
     * Lines that may be a box's first line ({@code first}) or the line after its last, across rows
     * ({@code alongRows}) or columns: where at least {@link #CANDIDATE_SHARE} of the line turns
     * from frame (outside) to not frame (inside); the strongest {@value #MAX_CANDIDATES}.
     * Never the query's first or last line, which have nothing outside them.
     */
    private int[] candidates(boolean alongRows, boolean first) {
      int lines = alongRows ? h : w;
      int length = alongRows ? w : h;
      long[] scored = new long[lines];
      int n = 0;
      for (int line = 1 + GAP; line < lines - 1 - GAP; line++) {
        int outside = first ? line - 1 - GAP : line + GAP;
        int inside = first ? line : line - 1;
        int turns = 0;
        for (int i = 0; i < length; i++) {
          boolean out = alongRows ? frame[outside * w + i] : frame[i * w + outside];
          boolean in = alongRows ? frame[inside * w + i] : frame[i * w + inside];
          if (out && !in) {
            turns++;
          }
        }
        if (turns >= CANDIDATE_SHARE * length) {
          scored[n++] = ((long) turns << 32) | line;
        }
      }
      long[] kept = Arrays.copyOf(scored, n);
      Arrays.sort(kept);
      int keep = Math.min(n, MAX_CANDIDATES);
      int[] out = new int[keep];
      for (int i = 0; i < keep; i++) {
        out[i] = (int) kept[n - 1 - i];
      }
      return out;
    }
  }
}
