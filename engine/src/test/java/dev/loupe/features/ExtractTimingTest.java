package dev.loupe.features;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loupe.image.DecodedImage;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * The timing figures of {@code docs/features.md}: {@code extract} and its steps on one 512 x 384
 * image, single thread, and the area resize in Java against OpenCV's {@code INTER_AREA}. Skipped
 * unless {@code -Dloupe.features.timing=true}; prints the median of repeated runs.
 */
class ExtractTimingTest {
  private static final int ROUNDS = 21;
  private static final int CALLS = 200;

  @Test
  void timing() {
    assumeTrue(Boolean.getBoolean("loupe.features.timing"), "set -Dloupe.features.timing=true");
    DecodedImage image = TestImages.working(Edits.resize(TestImages.bundled("adwaita-l.jpg"), 512, 384));
    int w = image.pixelWidth();
    int h = image.pixelHeight();
    byte[] bgr = image.bgr();
    FeatureExtractor extractor = new FeatureExtractor();
    ContentBounds bounds = BorderTrimmer.trim(bgr, w, h);
    AreaResampler resampler = new AreaResampler(PerceptualHash.GRID);
    float[] b = new float[4096], g = new float[4096], r = new float[4096], y = new float[4096];
    resampler.resample(bgr, w, bounds, b, g, r);
    for (int i = 0; i < y.length; i++) {
      y[i] = FeatureExtractor.luminance(b[i], g[i], r[i]);
    }
    float[] descriptor = new float[GlobalDescriptor.DIMENSIONS];

    opencv_core.setNumThreads(1);

    StringBuilder out = new StringBuilder(String.format("input %dx%d, %d rounds of %d calls, median per call:%n",
        w, h, ROUNDS, CALLS));
    out.append(line("extract (all)", () -> extractor.extract(image).quality()));
    out.append(line("  border trim", () -> BorderTrimmer.trim(bgr, w, h).width()));
    out.append(line("  area resize to 64x64, Java", () -> {
      resampler.resample(bgr, w, bounds, b, g, r);
      return (long) b[0];
    }));
    out.append(line("  DCT + 8 variants + quality", () -> {
      float[] c = PerceptualHash.coefficients(y, new float[17 * 64]);
      return PerceptualHash.dihedral(c).size() + PerceptualHash.quality(c);
    }));
    out.append(line("  descriptor", () -> {
      GlobalDescriptor.compute(b, g, r, y, descriptor);
      return (long) descriptor[0];
    }));
    out.append(line("  pixel key (SHA-256)", () -> PixelKey.of(image).length()));
    for (int[] dims : new int[][] {{512, 384}, {512, 341}, {437, 293}}) {
      out.append(compareResize(dims[0], dims[1]));
    }
    System.out.print(out);
  }

  /** Java area resize against OpenCV INTER_AREA on a {@code w x h} image, and their difference. */
  private static String compareResize(int w, int h) {
    byte[] bgr = TestImages.working(Edits.resize(TestImages.bundled("symbolic-d.jpg"), w, h)).bgr();
    AreaResampler resampler = new AreaResampler(PerceptualHash.GRID);
    ContentBounds full = new ContentBounds(0, 0, w, h);
    float[] b = new float[4096], g = new float[4096], r = new float[4096];
    Size size = new Size(PerceptualHash.GRID, PerceptualHash.GRID);
    StringBuilder out = new StringBuilder();
    try (Mat src = new Mat(h, w, CV_8UC3); Mat dst = new Mat(); Mat srcF = new Mat(); Mat dstF = new Mat()) {
      BytePointer srcData = src.data();
      byte[] grid = new byte[64 * 64 * 3];
      float[] gridF = new float[64 * 64 * 3];
      out.append(line("resize " + w + "x" + h + " to 64x64, Java area average (float)", () -> {
        resampler.resample(bgr, w, full, b, g, r);
        return (long) b[0];
      }));
      out.append(line("  OpenCV INTER_AREA 8-bit, resize only", () -> {
        resize(src, dst, size, 0, 0, INTER_AREA);
        return dst.cols();
      }));
      out.append(line("  OpenCV INTER_AREA 8-bit, copy in + resize + copy out", () -> {
        srcData.put(bgr, 0, bgr.length);
        resize(src, dst, size, 0, 0, INTER_AREA);
        dst.data().get(grid);
        return grid[0];
      }));
      out.append(line("  OpenCV INTER_AREA float, copy in + convert + resize + copy out", () -> {
        srcData.put(bgr, 0, bgr.length);
        src.convertTo(srcF, opencv_core.CV_32FC3);
        resize(srcF, dstF, size, 0, 0, INTER_AREA);
        new org.bytedeco.javacpp.FloatPointer(dstF.data()).get(gridF);
        return (long) gridF[0];
      }));
      // Equal quality: both are exact area averages; the 8-bit path rounds each cell.
      srcData.put(bgr, 0, bgr.length);
      resampler.resample(bgr, w, full, b, g, r);
      resize(src, dst, size, 0, 0, INTER_AREA);
      dst.data().get(grid);
      src.convertTo(srcF, opencv_core.CV_32FC3);
      resize(srcF, dstF, size, 0, 0, INTER_AREA);
      new org.bytedeco.javacpp.FloatPointer(dstF.data()).get(gridF);
      double max8 = 0, maxF = 0;
      for (int i = 0; i < 4096; i++) {
        float[] java = {b[i], g[i], r[i]};
        for (int c = 0; c < 3; c++) {
          max8 = Math.max(max8, Math.abs((grid[3 * i + c] & 0xFF) - java[c]));
          maxF = Math.max(maxF, Math.abs(gridF[3 * i + c] - java[c]));
        }
      }
      out.append(String.format("  largest cell difference from Java: 8-bit %.3f, float %.5f levels%n", max8, maxF));
    }
    return out.toString();
  }

  private static String line(String name, LongSupplier work) {
    long sink = 0;
    for (int i = 0; i < 3 * CALLS; i++) {
      sink += work.getAsLong();
    }
    long[] perCall = new long[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        sink += work.getAsLong();
      }
      perCall[round] = (System.nanoTime() - start) / CALLS;
    }
    Arrays.sort(perCall);
    return String.format("%-62s %8.1f µs%s%n", name, perCall[ROUNDS / 2] / 1000.0, sink == 42 ? " " : "");
  }
}
