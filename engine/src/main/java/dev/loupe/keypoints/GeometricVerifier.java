package dev.loupe.keypoints;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffinePartial2D;
import static org.bytedeco.opencv.global.opencv_calib3d.findHomography;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_imgproc.intersectConvexConvex;

import dev.loupe.features.LocalFeatures;
import java.util.Arrays;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decides whether two keypoint sets show the same picture, and how one maps onto the other.
 *
 * <ol>
 *   <li><b>Matching.</b> Each query keypoint takes its nearest candidate keypoint by Hamming
 *       distance if that is at most {@link #MAX_MATCH_DISTANCE} bits and clearly nearer than the
 *       second nearest (Lowe's ratio test, {@link #RATIO}); a candidate keypoint keeps only its
 *       nearest query keypoint. Brute force: 600 x 400 descriptor pairs cost about 0.3 ms.
 *   <li><b>Geometry.</b> RANSAC (OpenCV calib3d) fits a similarity (rotation, uniform scale,
 *       translation: crops, rotations by any angle, resizes) and a homography (perspective); the
 *       homography is taken only when it explains clearly more matches and is physically
 *       plausible (convex, orientation-preserving, bounded scale).
 *   <li><b>Decision.</b> A match is verified with at least {@link #MIN_INLIERS} inliers that are
 *       at least {@link #MIN_INLIER_RATIO} of the matches. Unrelated images rarely give a
 *       consensus of more than 8 chance matches (docs/local-features.md has the measured figures).
 * </ol>
 *
 * <p>Stateless and thread-safe; native memory is freed per call.
 */
public final class GeometricVerifier {
  public static final int MAX_MATCH_DISTANCE = 64;
  public static final double RATIO = 0.8;
  public static final int MIN_INLIERS = 12;
  public static final double MIN_INLIER_RATIO = 0.15;
  /** Scales beyond this factor (either way) are not believed. */
  private static final double MAX_SCALE = 8;
  private static final int SIMILARITY_ITERATIONS = 1000;
  private static final int HOMOGRAPHY_ITERATIONS = 2000;
  /**
   * The shared region must cover at least this share of both frames: smaller overlaps are
   * chance alignments of a few repeated strokes, not crops anyone would call a copy.
   */
  public static final double MIN_COVERAGE = 0.05;
  /**
   * One picture must lie at least this much inside the other: a copy is the other picture, or a
   * region of it, or contains it. Two pictures that share only a small element (a caption's words
   * in the same font, a logo, a window's buttons) overlap by less on both sides.
   */
  public static final double MIN_CONTAINMENT = 0.5;
  private static final double CONFIDENCE = 0.995;
  /** A homography must explain this many times the similarity's inliers (plus a few) to be preferred. */
  private static final double PERSPECTIVE_GAIN = 1.15;

  private final int minInliers;

  public GeometricVerifier() {
    this(MIN_INLIERS);
  }

  /** A verifier with another inlier threshold (benchmarks sweep it). */
  public GeometricVerifier(int minInliers) {
    if (minInliers < 4) {
      throw new IllegalArgumentException("minInliers must be at least 4, got: " + minInliers);
    }
    this.minInliers = minInliers;
  }

  /** The verified alignment of {@code query} onto {@code candidate}, or empty when they do not match. */
  public Optional<Alignment> verify(LocalFeatures query, LocalFeatures candidate) {
    int[][] pairs = match(query, candidate);
    if (pairs.length < minInliers) {
      return Optional.empty();
    }
    return fit(query, candidate, pairs);
  }

  /** Descriptor matches as {query index, candidate index} pairs. */
  static int[][] match(LocalFeatures query, LocalFeatures candidate) {
    int n = candidate.size();
    if (query.isEmpty() || n < 2) {
      return new int[0][];
    }
    int[] bestQueryFor = new int[n];
    int[] bestDistanceFor = new int[n];
    Arrays.fill(bestQueryFor, -1);
    Arrays.fill(bestDistanceFor, Integer.MAX_VALUE);
    int maxDistance = MAX_MATCH_DISTANCE * query.comparedBits(candidate) / LocalFeatures.DESCRIPTOR_BITS;
    for (int i = 0; i < query.size(); i++) {
      int best = Integer.MAX_VALUE;
      int second = Integer.MAX_VALUE;
      int bestJ = -1;
      for (int j = 0; j < n; j++) {
        int d = query.distance(i, candidate, j);
        if (d < best) {
          second = best;
          best = d;
          bestJ = j;
        } else if (d < second) {
          second = d;
        }
      }
      if (best <= maxDistance && best < RATIO * second && best < bestDistanceFor[bestJ]) {
        bestDistanceFor[bestJ] = best;
        bestQueryFor[bestJ] = i;
      }
    }
    int count = 0;
    for (int q : bestQueryFor) {
      if (q >= 0) {
        count++;
      }
    }
    int[][] pairs = new int[count][];
    for (int j = 0, k = 0; j < n; j++) {
      if (bestQueryFor[j] >= 0) {
        pairs[k++] = new int[] {bestQueryFor[j], j};
      }
    }
    return pairs;
  }

  @SuppressWarnings("try") // the scope frees every native object made inside it
  private Optional<Alignment> fit(LocalFeatures query, LocalFeatures candidate, int[][] pairs) {
    int m = pairs.length;
    float[] from = new float[2 * m];
    float[] to = new float[2 * m];
    for (int k = 0; k < m; k++) {
      from[2 * k] = query.x()[pairs[k][0]];
      from[2 * k + 1] = query.y()[pairs[k][0]];
      to[2 * k] = candidate.x()[pairs[k][1]];
      to[2 * k + 1] = candidate.y()[pairs[k][1]];
    }
    double threshold = Math.max(3.0, 0.012 * Math.max(candidate.frameWidth(), candidate.frameHeight()));
    try (PointerScope scope = new PointerScope()) {
      Mat src = points(from);
      Mat dst = points(to);
      Mat similarityMask = new Mat();
      Mat similarity = estimateAffinePartial2D(src, dst, similarityMask, RANSAC, threshold,
          SIMILARITY_ITERATIONS, CONFIDENCE, 10);
      double[] bestTransform = null;
      byte[] bestMask = null;
      boolean perspective = false;
      int bestInliers = 0;
      if (similarity != null && !similarity.empty()) {
        double[] a = new double[6];
        similarity.getDoubleBuffer().get(a);
        double[] t = {a[0], a[1], a[2], a[3], a[4], a[5], 0, 0, 1};
        byte[] sMask = mask(similarityMask, m);
        bestInliers = count(sMask);
        if (plausible(t, query, candidate)) {
          bestTransform = t;
          bestMask = sMask;
        }
      }
      // A homography needs some similarity consensus first: a perspective warp of a real copy still
      // agrees with a similarity near its centre, and unrelated pairs (most candidates) stop here.
      if (bestInliers >= minInliers / 2) {
        Mat homographyMask = new Mat();
        Mat homography = findHomography(src, dst, RANSAC, threshold, homographyMask, HOMOGRAPHY_ITERATIONS, CONFIDENCE);
        if (homography != null && !homography.empty()) {
          double[] h = new double[9];
          homography.getDoubleBuffer().get(h);
          byte[] hMask = mask(homographyMask, m);
          int hInliers = count(hMask);
          int base = bestTransform == null ? 0 : bestInliers;
          if (hInliers > PERSPECTIVE_GAIN * base + 3 && plausible(h, query, candidate)) {
            bestTransform = h;
            bestMask = hMask;
            bestInliers = hInliers;
            perspective = true;
          }
        }
      }
      if (bestTransform == null || bestInliers < minInliers || bestInliers < MIN_INLIER_RATIO * m) {
        return Optional.empty();
      }
      Alignment aligned = describe(query, candidate, pairs, bestMask, bestInliers, bestTransform, perspective);
      if (Math.min(aligned.hitCoverage(), aligned.queryCoverage()) < MIN_COVERAGE
          || Math.max(aligned.hitCoverage(), aligned.queryCoverage()) < MIN_CONTAINMENT) {
        return Optional.empty();
      }
      return Optional.of(aligned);
    }
  }

  private static Alignment describe(LocalFeatures query, LocalFeatures candidate, int[][] pairs, byte[] mask,
      int inliers, double[] t, boolean perspective) {
    double[] queryInCandidate = mapCorners(t, query.frameWidth(), query.frameHeight());
    double[] inverse = invert(t);
    double[] candidateInQuery = mapCorners(inverse, candidate.frameWidth(), candidate.frameHeight());
    double candidateArea = (double) candidate.frameWidth() * candidate.frameHeight();
    double queryArea = (double) query.frameWidth() * query.frameHeight();
    double hitCoverage = clip01(overlap(queryInCandidate, candidate.frameWidth(), candidate.frameHeight()) / candidateArea);
    double queryCoverage = clip01(overlap(candidateInQuery, query.frameWidth(), query.frameHeight()) / queryArea);
    // Local linear part at the query's centre (exact for a similarity).
    double[] j = jacobian(t, query.frameWidth() / 2.0, query.frameHeight() / 2.0);
    double scale = Math.sqrt(Math.abs(j[0] * j[3] - j[1] * j[2]));
    // Image coordinates point down: the transform turns the query back onto the candidate, so the
    // query's own clockwise turn is the opposite of the transform's angle.
    double rotation = -Math.toDegrees(Math.atan2(j[2], j[0]));
    if (rotation <= -180) {
      rotation += 360;
    }
    int[] shifts = new int[inliers];
    int k = 0;
    byte[] qc = query.colours();
    byte[] cc = candidate.colours();
    boolean colours = query.hasColours() && candidate.hasColours();
    for (int p = 0; p < pairs.length && colours; p++) {
      if (mask[p] != 0) {
        int a = 3 * pairs[p][0];
        int b = 3 * pairs[p][1];
        int shift = 0;
        for (int c = 0; c < 3; c++) {
          shift = Math.max(shift, Math.abs((qc[a + c] & 0xff) - (cc[b + c] & 0xff)));
        }
        shifts[k++] = shift;
      }
    }
    Arrays.sort(shifts, 0, k);
    int colourShift = k == 0 ? 0 : shifts[k / 2];
    return new Alignment(inliers, pairs.length, t, perspective, hitCoverage, queryCoverage, scale, rotation, colourShift,
        boundsWithin(candidateInQuery, query.frameWidth(), query.frameHeight()), evidence(query, pairs, mask));
  }

  /** The box of the inliers in the query frame, {left, top, right, bottom}. */
  private static double[] evidence(LocalFeatures query, int[][] pairs, byte[] mask) {
    double left = Double.MAX_VALUE;
    double top = Double.MAX_VALUE;
    double right = -Double.MAX_VALUE;
    double bottom = -Double.MAX_VALUE;
    for (int p = 0; p < pairs.length; p++) {
      if (mask[p] != 0) {
        double x = query.x()[pairs[p][0]];
        double y = query.y()[pairs[p][0]];
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
    return right < left ? new double[] {0, 0, 0, 0} : new double[] {left, top, right, bottom};
  }

  /**
   * Orientation-preserving, bounded scale, and each frame maps into the other as a convex
   * quadrilateral that does not cross the horizon.
   */
  private static boolean plausible(double[] t, LocalFeatures query, LocalFeatures candidate) {
    double[] corners = mapCorners(t, query.frameWidth(), query.frameHeight());
    if (corners == null || mapCorners(invert(t), candidate.frameWidth(), candidate.frameHeight()) == null) {
      return false;
    }
    double sign = 0;
    for (int i = 0; i < 4; i++) {
      double ax = corners[2 * ((i + 1) % 4)] - corners[2 * i];
      double ay = corners[2 * ((i + 1) % 4) + 1] - corners[2 * i + 1];
      double bx = corners[2 * ((i + 2) % 4)] - corners[2 * ((i + 1) % 4)];
      double by = corners[2 * ((i + 2) % 4) + 1] - corners[2 * ((i + 1) % 4) + 1];
      double cross = ax * by - ay * bx;
      if (cross == 0 || (sign != 0 && Math.signum(cross) != sign)) {
        return false;
      }
      sign = Math.signum(cross);
    }
    if (sign < 0) {
      return false; // a mirror: ORB descriptors do not match mirrored keypoints, so this is chance
    }
    double area = Math.abs(polygonArea(corners));
    double ratio = area / ((double) query.frameWidth() * query.frameHeight());
    return ratio > 1 / (MAX_SCALE * MAX_SCALE) && ratio < MAX_SCALE * MAX_SCALE;
  }

  private static double[] mapCorners(double[] t, int width, int height) {
    double[] xs = {0, width, width, 0};
    double[] ys = {0, 0, height, height};
    double[] out = new double[8];
    for (int i = 0; i < 4; i++) {
      double w = t[6] * xs[i] + t[7] * ys[i] + t[8];
      if (!(w > 1e-9)) {
        return null; // a corner maps through the horizon
      }
      out[2 * i] = (t[0] * xs[i] + t[1] * ys[i] + t[2]) / w;
      out[2 * i + 1] = (t[3] * xs[i] + t[4] * ys[i] + t[5]) / w;
    }
    return out;
  }

  /** The bounding box {left, top, right, bottom} of {@code quad} clipped to the frame; the frame for none. */
  private static double[] boundsWithin(double[] quad, int width, int height) {
    if (quad == null) {
      return new double[] {0, 0, width, height};
    }
    double left = Double.MAX_VALUE;
    double top = Double.MAX_VALUE;
    double right = -Double.MAX_VALUE;
    double bottom = -Double.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      left = Math.min(left, quad[2 * i]);
      right = Math.max(right, quad[2 * i]);
      top = Math.min(top, quad[2 * i + 1]);
      bottom = Math.max(bottom, quad[2 * i + 1]);
    }
    left = Math.clamp(left, 0, width);
    right = Math.clamp(right, 0, width);
    top = Math.clamp(top, 0, height);
    bottom = Math.clamp(bottom, 0, height);
    return right > left && bottom > top ? new double[] {left, top, right, bottom} : new double[] {0, 0, width, height};
  }

  private static double[] jacobian(double[] t, double x, double y) {
    double w = t[6] * x + t[7] * y + t[8];
    double u = t[0] * x + t[1] * y + t[2];
    double v = t[3] * x + t[4] * y + t[5];
    return new double[] {
      (t[0] * w - u * t[6]) / (w * w), (t[1] * w - u * t[7]) / (w * w),
      (t[3] * w - v * t[6]) / (w * w), (t[4] * w - v * t[7]) / (w * w)
    };
  }

  static double[] invert(double[] m) {
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
    double co0 = e * i - f * h;
    double co1 = -(d * i - f * g);
    double co2 = d * h - e * g;
    double det = a * co0 + b * co1 + c * co2;
    return new double[] {
      co0 / det, -(b * i - c * h) / det, (b * f - c * e) / det,
      co1 / det, (a * i - c * g) / det, -(a * f - c * d) / det,
      co2 / det, -(a * h - b * g) / det, (a * e - b * d) / det
    };
  }

  /** Area of a quadrilateral (given as 8 coordinates, possibly null) inside the frame rectangle. */
  @SuppressWarnings("try")
  private static double overlap(double[] quad, int width, int height) {
    if (quad == null) {
      return 0;
    }
    try (PointerScope scope = new PointerScope()) {
      float[] q = new float[8];
      for (int i = 0; i < 8; i++) {
        q[i] = (float) quad[i];
      }
      if (polygonArea(quad) < 0) {
        q = new float[] {q[6], q[7], q[4], q[5], q[2], q[3], q[0], q[1]};
      }
      Mat rect = points(new float[] {0, 0, width, 0, width, height, 0, height});
      return intersectConvexConvex(points(q), rect, new Mat(), true);
    }
  }

  private static double polygonArea(double[] c) {
    double s = 0;
    for (int i = 0; i < 4; i++) {
      int n = (i + 1) % 4;
      s += c[2 * i] * c[2 * n + 1] - c[2 * n] * c[2 * i + 1];
    }
    return s / 2;
  }

  private static Mat points(float[] xy) {
    Mat mat = new Mat(xy.length / 2, 1, CV_32FC2);
    new FloatPointer(mat.data()).put(xy);
    return mat;
  }

  private static byte[] mask(Mat mask, int m) {
    byte[] out = new byte[m];
    if (mask != null && !mask.empty() && mask.total() == m) {
      mask.data().get(out);
    }
    return out;
  }

  private static int count(byte[] mask) {
    int n = 0;
    for (byte b : mask) {
      if (b != 0) {
        n++;
      }
    }
    return n;
  }

  private static double clip01(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }

}
