package dev.loupe.keypoints;

/**
 * A verified geometric match between a query's keypoints and a candidate's: how many keypoint
 * matches agree on one transform, and what the transform says about the two pictures.
 *
 * @param inliers keypoint matches consistent with the transform
 * @param matches keypoint matches that passed the descriptor tests, before geometry
 * @param transform 3 x 3 row-major matrix taking query frame coordinates to candidate frame
 *     coordinates (a similarity, or a homography when {@code perspective})
 * @param perspective whether a homography fitted clearly better than any similarity
 * @param hitCoverage share of the candidate's frame that the query shows, 0..1
 * @param queryCoverage share of the query's frame that the candidate shows, 0..1
 * @param frameScale linear scale from query frame to candidate frame (candidate pixels per query pixel)
 * @param rotation degrees the query is turned clockwise relative to the candidate, in (-180, 180]
 * @param colourShift median over inliers of the largest per-channel difference of the mean colours
 *     (0 when either side kept no colours: an index stores none, see {@link dev.loupe.features.LocalFeatures#compact})
 *     around matched keypoints, 0..255
 * @param hitInQuery where the candidate's frame lies in the query's frame, clipped to it: {@code
 *     {left, top, right, bottom}} in query frame pixels (the bounding box of the candidate's four
 *     corners mapped back through the transform); the whole query frame when a corner maps through
 *     the horizon
 * @param evidence the box of the inliers in the query frame, {@code {left, top, right, bottom}}: where
 *     the keypoints matched; thin when only a line of a caption's words or one small element does
 *     ({@link #concentrated})
 */
public record Alignment(
    int inliers,
    int matches,
    double[] transform,
    boolean perspective,
    double hitCoverage,
    double queryCoverage,
    double frameScale,
    double rotation,
    int colourShift,
    double[] hitInQuery,
    double[] evidence) {

  /** Colour shifts above this mean the colours were changed, not just recompressed or rescaled. */
  public static final int RECOLOURED_SHIFT = 24;

  /**
   * The evidence spans less than this share of the shared region's height or width: a line of text
   * or one small element, not the picture (see {@link #concentrated}).
   */
  public static final double THIN_EVIDENCE = 0.1;

  /** Share of the descriptor matches that the transform explains. */
  public double inlierRatio() {
    return matches == 0 ? 0 : (double) inliers / matches;
  }

  /**
   * Whether the inliers lie in a thin strip or a small patch of the shared region: less than
   * {@value #THIN_EVIDENCE} of its height or of its width. Two pictures with the same words in the
   * same font (captions, titles) align on the words alone, with dozens of inliers along one line;
   * a copy's keypoints spread over the picture.
   */
  public boolean concentrated() {
    return thinInHeight() || thinInWidth();
  }

  /** Whether the inliers span less than {@value #THIN_EVIDENCE} of the shared region's height. */
  public boolean thinInHeight() {
    return evidence[3] - evidence[1] < THIN_EVIDENCE * (hitInQuery[3] - hitInQuery[1]);
  }

  /** Whether the inliers span less than {@value #THIN_EVIDENCE} of the shared region's width. */
  public boolean thinInWidth() {
    return evidence[2] - evidence[0] < THIN_EVIDENCE * (hitInQuery[2] - hitInQuery[0]);
  }

  public boolean recoloured() {
    return colourShift > RECOLOURED_SHIFT;
  }
}
