package dev.loupe.keypoints;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.loupe.features.LocalFeatures;
import dev.loupe.image.DecodedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.KeyPoint;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_features2d.ORB;

/**
 * Finds keypoints with OpenCV's ORB (oriented FAST corners, rotated BRIEF descriptors of 256
 * bits) on the working-resolution pixels. ORB was chosen over AKAZE and SIFT by measurement
 * ({@code docs/local-features.md}): its binary descriptors make training-free visual words possible
 * ({@link dev.loupe.features.VisualWords}) and it was the fastest of the three.
 *
 * <p>ORB is invariant to rotation and, through its 8-level pyramid (factor 1.2), to scale changes
 * up to about 3.6 times; it is not invariant to mirroring, so a mirrored query is described again
 * with {@link #extractMirrored}. Thread-safe: each call makes its own detector, and a
 * {@link PointerScope} frees its native memory on return. About 5 ms for a 512 x 384 image.
 */
public final class KeypointExtractor {
  /** Keypoints kept per indexed image: bounds the bytes an image costs in the index. */
  public static final int INDEX_KEYPOINTS = LocalFeatures.STORED_KEYPOINTS;
  /** Keypoints kept per query: more than an indexed image, so a crop still finds enough. */
  public static final int QUERY_KEYPOINTS = 600;
  private static final float SCALE_FACTOR = 1.2f;
  private static final int LEVELS = 8;
  private static final int EDGE = 19;
  private static final int PATCH = 31;
  /** FAST thresholds tried in turn until enough corners are found (smooth pictures need low ones). */
  private static final int[] FAST_THRESHOLDS = {12, 6, 3, 1};
  /** Candidates detected per keypoint kept, so that the grid below has a choice. */
  private static final int OVERSAMPLING = 3;
  /** The frame is split into GRID x GRID cells, each keeping at most its share of keypoints. */
  private static final int GRID = 4;
  /** Radius of the square whose mean colour is kept with each keypoint. */
  private static final int COLOUR_RADIUS = 3;

  /** The keypoints of {@code image}, at most {@code max} of them (the strongest). */
  public LocalFeatures extract(DecodedImage image, int max) {
    return extract(image.bgr(), image.pixelWidth(), image.pixelHeight(), max, false);
  }

  /** As {@link #extract}, for the image mirrored left to right (coordinates in the mirrored frame). */
  public LocalFeatures extractMirrored(DecodedImage image, int max) {
    return extract(image.bgr(), image.pixelWidth(), image.pixelHeight(), max, true);
  }

  @SuppressWarnings("try") // the scope frees every native object made inside it
  private static LocalFeatures extract(byte[] bgr, int width, int height, int max, boolean mirrored) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got: " + max);
    }
    if (width > LocalFeatures.MAX_FRAME_SIDE || height > LocalFeatures.MAX_FRAME_SIDE) {
      throw new IllegalArgumentException("frame too large for keypoints: " + width + "x" + height);
    }
    byte[] pixels = mirrored ? mirror(bgr, width, height) : bgr;
    try (PointerScope scope = new PointerScope()) {
      Mat colour = new Mat(height, width, CV_8UC3, new BytePointer(pixels));
      Mat gray = new Mat();
      cvtColor(colour, gray, COLOR_BGR2GRAY);
      KeyPointVector keypoints = detect(gray, max);
      Mat descriptors = new Mat();
      ORB.create(max, SCALE_FACTOR, LEVELS, EDGE, 0, 2, ORB.HARRIS_SCORE, PATCH, FAST_THRESHOLDS[0])
          .compute(gray, keypoints, descriptors);
      int n = (int) Math.min(keypoints.size(), descriptors.rows());
      if (n == 0) {
        return new LocalFeatures(width, height, new float[0], new float[0], new long[0], new byte[0]);
      }
      byte[] raw = new byte[n * 32];
      descriptors.data().get(raw);
      ByteBuffer words = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      float[] x = new float[n];
      float[] y = new float[n];
      long[] d = new long[n * LocalFeatures.DESCRIPTOR_WORDS];
      byte[] colours = new byte[3 * n];
      for (int i = 0; i < n; i++) {
        KeyPoint k = keypoints.get(i);
        x[i] = k.pt().x();
        y[i] = k.pt().y();
        for (int w = 0; w < LocalFeatures.DESCRIPTOR_WORDS; w++) {
          d[i * LocalFeatures.DESCRIPTOR_WORDS + w] = words.getLong();
        }
        meanColour(pixels, width, height, x[i], y[i], colours, 3 * i);
      }
      return new LocalFeatures(width, height, x, y, d, colours);
    }
  }

  /**
   * Strong corners spread over the picture: ORB ranks corners by Harris response over the whole
   * frame, so a caption's text or one busy region would take every slot and a crop elsewhere would
   * keep nothing. Candidates are detected with decreasing FAST thresholds until there are enough,
   * then each grid cell keeps its strongest up to an equal share, and what is left is filled by
   * response.
   */
  private static KeyPointVector detect(Mat gray, int max) {
    KeyPointVector found = new KeyPointVector();
    for (int threshold : FAST_THRESHOLDS) {
      ORB orb = ORB.create(OVERSAMPLING * max, SCALE_FACTOR, LEVELS, EDGE, 0, 2, ORB.HARRIS_SCORE, PATCH, threshold);
      found = new KeyPointVector();
      orb.detect(gray, found);
      if (found.size() >= max) {
        break;
      }
    }
    int n = (int) found.size();
    if (n <= max) {
      return found;
    }
    Integer[] order = new Integer[n];
    float[] response = new float[n];
    int[] cell = new int[n];
    int width = gray.cols();
    int height = gray.rows();
    for (int i = 0; i < n; i++) {
      KeyPoint k = found.get(i);
      order[i] = i;
      response[i] = k.response();
      int cx = Math.min(GRID - 1, (int) (k.pt().x() * GRID / width));
      int cy = Math.min(GRID - 1, (int) (k.pt().y() * GRID / height));
      cell[i] = cy * GRID + cx;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(response[b], response[a]));
    int share = (max + GRID * GRID - 1) / (GRID * GRID);
    int[] taken = new int[GRID * GRID];
    boolean[] chosen = new boolean[n];
    int kept = 0;
    for (int i : order) {
      if (kept < max && taken[cell[i]] < share) {
        taken[cell[i]]++;
        chosen[i] = true;
        kept++;
      }
    }
    for (int i : order) {
      if (kept < max && !chosen[i]) {
        chosen[i] = true;
        kept++;
      }
    }
    KeyPointVector out = new KeyPointVector();
    for (int i : order) {
      if (chosen[i]) {
        out.push_back(found.get(i));
      }
    }
    return out;
  }

  private static void meanColour(byte[] bgr, int width, int height, float fx, float fy, byte[] out, int at) {
    int cx = Math.round(fx);
    int cy = Math.round(fy);
    int[] sum = new int[3];
    int count = 0;
    for (int yy = Math.max(0, cy - COLOUR_RADIUS); yy <= Math.min(height - 1, cy + COLOUR_RADIUS); yy++) {
      for (int xx = Math.max(0, cx - COLOUR_RADIUS); xx <= Math.min(width - 1, cx + COLOUR_RADIUS); xx++) {
        int p = 3 * (yy * width + xx);
        sum[0] += bgr[p] & 0xff;
        sum[1] += bgr[p + 1] & 0xff;
        sum[2] += bgr[p + 2] & 0xff;
        count++;
      }
    }
    for (int c = 0; c < 3; c++) {
      out[at + c] = (byte) (count == 0 ? 0 : sum[c] / count);
    }
  }

  private static byte[] mirror(byte[] bgr, int width, int height) {
    byte[] out = new byte[bgr.length];
    for (int y = 0; y < height; y++) {
      int row = y * width * 3;
      for (int x = 0; x < width; x++) {
        int from = row + 3 * x;
        int to = row + 3 * (width - 1 - x);
        out[to] = bgr[from];
        out[to + 1] = bgr[from + 1];
        out[to + 2] = bgr[from + 2];
      }
    }
    return out;
  }
}
