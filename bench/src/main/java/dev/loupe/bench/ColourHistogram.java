package dev.loupe.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import dev.loupe.image.DecodedImage;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The likeness benchmark's baseline: a global HSV colour histogram (8 hues x 4 saturations x 4
 * values, the layout of Swain and Ballard's colour indexing), compared by histogram intersection.
 */
final class ColourHistogram {
  static final int BINS = 8 * 4 * 4;

  private ColourHistogram() {}

  /** The histogram of {@code image}, summing to 1. */
  @SuppressWarnings("try")
  static float[] of(DecodedImage image) {
    int n = image.pixelWidth() * image.pixelHeight();
    byte[] hsv = new byte[3 * n];
    try (PointerScope scope = new PointerScope()) {
      Mat bgr = new Mat(image.pixelHeight(), image.pixelWidth(), CV_8UC3, new BytePointer(image.bgr()));
      Mat converted = new Mat();
      cvtColor(bgr, converted, COLOR_BGR2HSV);
      converted.data().get(hsv);
    }
    float[] h = new float[BINS];
    for (int i = 0; i < n; i++) {
      int hue = Math.min(7, (hsv[3 * i] & 0xff) * 8 / 180);
      int sat = (hsv[3 * i + 1] & 0xff) >> 6;
      int val = (hsv[3 * i + 2] & 0xff) >> 6;
      h[(hue * 4 + sat) * 4 + val] += 1f / n;
    }
    return h;
  }

  /** Histogram intersection: 1 for equal distributions, 0 for disjoint ones. */
  static double intersection(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.min(a[i], b[i]);
    }
    return sum;
  }
}
