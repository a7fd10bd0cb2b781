package dev.loupe.bench;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffinePartial2D;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.NORM_HAMMING;
import static org.bytedeco.opencv.global.opencv_core.NORM_L2;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import dev.loupe.keypoints.GeometricVerifier;
import dev.loupe.keypoints.KeypointExtractor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.DMatchVector;
import org.bytedeco.opencv.opencv_core.DMatchVectorVector;
import org.bytedeco.opencv.opencv_core.KeyPoint;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_features2d.AKAZE;
import org.bytedeco.opencv.opencv_features2d.BFMatcher;
import org.bytedeco.opencv.opencv_features2d.Feature2D;
import org.bytedeco.opencv.opencv_features2d.SIFT;

/**
 * ORB (the engine's extractor), AKAZE and SIFT (OpenCV's, default parameters) behind one interface,
 * with one matcher for all three, so that the detector is the only difference.
 *
 * <p>AKAZE and SIFT detect every keypoint they find, lowering their detection threshold in steps
 * (as the engine does with ORB's FAST threshold) until they find at least the budget or run out of
 * steps, then keep at most the budget spread over the frame by the engine's rule (a 4 x 4 grid, each
 * cell its strongest up to an equal share, the rest by response), then describe the kept ones.
 *
 * <p>The common matcher: OpenCV's brute-force matcher (Hamming for the binary descriptors, L2 for
 * SIFT), two nearest neighbours, Lowe's ratio test at {@link GeometricVerifier#RATIO}, one query
 * keypoint per candidate keypoint, and a RANSAC similarity with the engine's threshold; a pair is
 * verified with at least {@link GeometricVerifier#MIN_INLIERS} inliers that are at least {@link
 * GeometricVerifier#MIN_INLIER_RATIO} of the matches. It has neither the engine's distance cap nor
 * its homography and plausibility checks.
 */
final class Detectors {
  private static final int GRID = 4;
  /** AKAZE's detector response thresholds, tried in turn; the first is OpenCV's default. */
  private static final double[] AKAZE_THRESHOLDS = {0.001, 0.0003, 0.0001, 0.00003};
  /** SIFT's contrast thresholds, tried in turn; the first is OpenCV's default. */
  private static final double[] SIFT_THRESHOLDS = {0.04, 0.02, 0.01, 0.005};

  private Detectors() {}

  /** Keypoints as Java arrays: positions, and descriptors as rows of bytes of an OpenCV type. */
  record Keypoints(int width, int height, float[] x, float[] y, byte[] descriptors, int type, int columns) {
    int size() {
      return x.length;
    }

    int rowBytes() {
      return type == CV_32F ? 4 * columns : columns;
    }
  }

  /** What the common matcher found. */
  record Match(int matches, int inliers) {
    boolean verified() {
      return inliers >= GeometricVerifier.MIN_INLIERS && inliers >= GeometricVerifier.MIN_INLIER_RATIO * matches;
    }
  }

  /** A keypoint detector and descriptor. */
  enum Detector {
    ORB, AKAZE, SIFT;

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * At most {@code max} keypoints of {@code image}; {@code lowerThresholds} lets AKAZE and SIFT
     * lower their thresholds to reach the budget (else they keep OpenCV's defaults).
     */
    Keypoints extract(DecodedImage image, int max, boolean lowerThresholds) {
      return switch (this) {
        case ORB -> fromLocal(new KeypointExtractor().extract(image, max));
        case AKAZE -> opencv(image, max, false, lowerThresholds);
        case SIFT -> opencv(image, max, true, lowerThresholds);
      };
    }

    int norm() {
      return this == SIFT ? NORM_L2 : NORM_HAMMING;
    }
  }

  /** The engine's keypoints in this form. */
  static Keypoints fromLocal(LocalFeatures f) {
    ByteBuffer bytes = ByteBuffer.allocate(f.size() * 32).order(ByteOrder.LITTLE_ENDIAN);
    for (long word : f.descriptors()) {
      bytes.putLong(word);
    }
    return new Keypoints(f.frameWidth(), f.frameHeight(), f.x(), f.y(), bytes.array(), CV_8U, 32);
  }

  @SuppressWarnings("try") // the scope frees every native object made inside it
  private static Keypoints opencv(DecodedImage image, int max, boolean sift, boolean lowerThresholds) {
    int width = image.pixelWidth();
    int height = image.pixelHeight();
    try (PointerScope scope = new PointerScope()) {
      Mat gray = new Mat();
      cvtColor(new Mat(height, width, CV_8UC3, new BytePointer(image.bgr())), gray, COLOR_BGR2GRAY);
      Feature2D detector = null;
      KeyPointVector all = new KeyPointVector();
      double[] thresholds = sift ? SIFT_THRESHOLDS : AKAZE_THRESHOLDS;
      for (double threshold : lowerThresholds ? thresholds : Arrays.copyOf(thresholds, 1)) {
        if (sift) {
          SIFT s = SIFT.create();
          s.setContrastThreshold(threshold);
          detector = s;
        } else {
          AKAZE a = AKAZE.create();
          a.setThreshold(threshold);
          detector = a;
        }
        all = new KeyPointVector();
        detector.detect(gray, all);
        if (all.size() >= max) {
          break;
        }
      }
      KeyPointVector kept = spread(all, max, width, height);
      Mat descriptors = new Mat();
      detector.compute(gray, kept, descriptors);
      int n = (int) Math.min(kept.size(), descriptors.rows());
      float[] x = new float[n];
      float[] y = new float[n];
      for (int i = 0; i < n; i++) {
        KeyPoint k = kept.get(i);
        x[i] = k.pt().x();
        y[i] = k.pt().y();
      }
      int columns = descriptors.cols();
      int type = descriptors.depth() == CV_32F ? CV_32F : CV_8U;
      byte[] raw = new byte[n * (type == CV_32F ? 4 * columns : columns)];
      if (n > 0) {
        descriptors.data().get(raw);
      }
      return new Keypoints(width, height, x, y, raw, type, columns);
    }
  }

  /**
   * At most {@code max} of {@code found}, spread over the frame: each cell of a 4 x 4 grid first
   * takes its strongest up to an equal share, then the strongest of the rest fill the budget.
   */
  static KeyPointVector spread(KeyPointVector found, int max, int width, int height) {
    int n = (int) found.size();
    if (n <= max) {
      return found;
    }
    float[] response = new float[n];
    int[] cell = new int[n];
    for (int i = 0; i < n; i++) {
      KeyPoint k = found.get(i);
      response[i] = k.response();
      cell[i] = cellOf(k.pt().x(), k.pt().y(), width, height);
    }
    KeyPointVector out = new KeyPointVector();
    for (int i : spread(response, cell, max)) {
      out.push_back(found.get(i));
    }
    return out;
  }

  /** The indices {@link #spread(KeyPointVector, int, int, int)} keeps, strongest first. */
  static int[] spread(float[] response, int[] cell, int max) {
    Integer[] byResponse = IntStream.range(0, response.length).boxed().toArray(Integer[]::new);
    Arrays.sort(byResponse, Comparator.comparingDouble((Integer i) -> response[i]).reversed());
    int share = (max + GRID * GRID - 1) / (GRID * GRID);
    int[] perCell = new int[GRID * GRID];
    boolean[] kept = new boolean[response.length];
    int count = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (int i : byResponse) {
        if (count < max && !kept[i] && (pass == 1 || perCell[cell[i]] < share)) {
          kept[i] = true;
          perCell[cell[i]]++;
          count++;
        }
      }
    }
    return Arrays.stream(byResponse).mapToInt(Integer::intValue).filter(i -> kept[i]).toArray();
  }

  static int cellOf(float x, float y, int width, int height) {
    int cx = Math.min(GRID - 1, Math.max(0, (int) (x * GRID / width)));
    int cy = Math.min(GRID - 1, Math.max(0, (int) (y * GRID / height)));
    return cy * GRID + cx;
  }

  /** Matches {@code query} to {@code candidate} with the common matcher and fits a similarity. */
  @SuppressWarnings("try")
  static Match match(Keypoints query, Keypoints candidate, int norm) {
    int m = candidate.size();
    if (query.size() == 0 || m < 2) {
      return new Match(0, 0);
    }
    try (PointerScope scope = new PointerScope()) {
      DMatchVectorVector knn = new DMatchVectorVector();
      new BFMatcher(norm, false).knnMatch(descriptors(query), descriptors(candidate), knn, 2);
      int[] bestQuery = new int[m];
      float[] bestDistance = new float[m];
      Arrays.fill(bestQuery, -1);
      Arrays.fill(bestDistance, Float.MAX_VALUE);
      for (long i = 0; i < knn.size(); i++) {
        DMatchVector pair = knn.get(i);
        if (pair.size() < 2) {
          continue;
        }
        float best = pair.get(0).distance();
        int train = pair.get(0).trainIdx();
        if (best < GeometricVerifier.RATIO * pair.get(1).distance() && best < bestDistance[train]) {
          bestDistance[train] = best;
          bestQuery[train] = pair.get(0).queryIdx();
        }
      }
      int matches = (int) Arrays.stream(bestQuery).filter(q -> q >= 0).count();
      if (matches < 3) {
        return new Match(matches, 0);
      }
      float[] from = new float[2 * matches];
      float[] to = new float[2 * matches];
      for (int j = 0, k = 0; j < m; j++) {
        if (bestQuery[j] >= 0) {
          from[2 * k] = query.x()[bestQuery[j]];
          from[2 * k + 1] = query.y()[bestQuery[j]];
          to[2 * k] = candidate.x()[j];
          to[2 * k + 1] = candidate.y()[j];
          k++;
        }
      }
      double threshold = Math.max(3.0, 0.012 * Math.max(candidate.width(), candidate.height()));
      Mat mask = new Mat();
      Mat fit = estimateAffinePartial2D(points(from), points(to), mask, RANSAC, threshold, 1000, 0.995, 10);
      if (fit == null || fit.empty() || mask.empty()) {
        return new Match(matches, 0);
      }
      byte[] inlier = new byte[matches];
      mask.data().get(inlier);
      int inliers = 0;
      for (byte b : inlier) {
        inliers += b != 0 ? 1 : 0;
      }
      return new Match(matches, inliers);
    }
  }

  private static Mat descriptors(Keypoints k) {
    Mat mat = new Mat(k.size(), k.columns(), k.type());
    mat.data().put(k.descriptors());
    return mat;
  }

  private static Mat points(float[] xy) {
    Mat mat = new Mat(xy.length / 2, 1, CV_32FC2);
    new FloatPointer(mat.data()).put(xy);
    return mat;
  }
}
