package dev.loupe.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageLimits;
import dev.loupe.image.ImageLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The memory one decode needs at its peak, per decoded pixel: each case runs in a fresh JVM whose
 * heap is fixed and touched up front ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}), so that
 * growth of the resident set during the decode is the decoder's native memory and nothing else. The
 * child resets the kernel's peak-RSS mark ({@code /proc/self/clear_refs}), decodes once, and reports
 * {@code VmHWM} minus the resident set before the decode. The pictures are generated (gradients and, for RGBA, varying alpha) and encoded with OpenCV, at the largest size the default limits
 * take (100 megapixels).
 */
@Command(name = "decode-memory", mixinStandardHelpOptions = true,
    description = "Peak memory of one decode per decoded pixel, each case in a fresh JVM.")
public final class DecodeMemoryBench implements Callable<Integer> {
  @Option(names = "--side", description = "Side of the square PNGs, in pixels (default: ${DEFAULT-VALUE}).")
  int side = 10_000;

  @Option(names = "--runs", description = "Runs per case; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs = 3;

  private record Case(String name, String file, int channels, String extension, int width, int height,
      long decodedPixels) {}

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("loupe-decode-memory");
    int jpegW = side * 4 / 5;
    int jpegH = side * 3 / 5;
    List<Case> cases = List.of(
        new Case("RGBA PNG", "rgba.png", 4, ".png", side, side, (long) side * side),
        new Case("RGB PNG", "rgb.png", 3, ".png", side, side, (long) side * side),
        new Case("gray PNG", "gray.png", 1, ".png", side, side, (long) side * side),
        // Decoded at 1/8 scale by libjpeg (the target is 512 pixels).
        new Case("RGB JPEG", "rgb.jpg", 3, ".jpg", jpegW, jpegH, (long) ((jpegW + 7) / 8) * ((jpegH + 7) / 8)));
    System.out.printf(Locale.ROOT, "%-9s %12s %10s %14s %16s%n", "case", "size", "file", "peak (MiB)",
        "bytes/decoded px");
    for (Case c : cases) {
      Path file = dir.resolve(c.file());
      Files.write(file, encode(c.channels(), c.width(), c.height(), c.extension()));
      Path warm = dir.resolve("warm-" + c.file());
      Files.write(warm, encode(c.channels(), 640, 480, c.extension()));
      List<Long> peaks = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        peaks.add(child(file, warm));
      }
      peaks.sort(null);
      long peak = peaks.get(peaks.size() / 2);
      System.out.printf(Locale.ROOT, "%-9s %12s %8d KB %14.1f %16.2f%n", c.name(), c.width() + "x" + c.height(),
          Files.size(file) / 1024, peak / 1048576.0, (double) peak / c.decodedPixels());
      Files.delete(file);
      Files.delete(warm);
    }
    Files.delete(dir);
    return 0;
  }

  /**
   * Runs {@link Probe} on {@code file} in a fresh JVM, after one decode of {@code warm} (a small
   * picture of the same format, which loads the codec and its buffers); returns the peak growth in bytes.
   */
  private static long child(Path file, Path warm) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xms768m", "-Xmx768m",
        "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"), Probe.class.getName(), file.toString(), warm.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IOException("the probe failed on " + file + ": " + out);
    }
    return Long.parseLong(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  private static byte[] encode(int channels, int width, int height, String extension) {
    Mat mat = new Mat(height, width, channels == 4 ? CV_8UC4 : channels == 3 ? CV_8UC3 : CV_8UC1);
    BytePointer data = mat.data();
    byte[] row = new byte[width * channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0, i = 0; x < width; x++) {
        for (int c = 0; c < channels; c++, i++) {
          int value = c == 3 ? (x * 255 / width) : (x / 100 * 7 + y / 100 * 5 + c * 40) & 0xff;
          row[i] = (byte) value;
        }
      }
      data.position((long) y * mat.step()).put(row);
    }
    data.position(0);
    BytePointer encoded = new BytePointer();
    imencode(extension, mat, encoded);
    byte[] bytes = new byte[(int) encoded.limit()];
    encoded.get(bytes);
    encoded.deallocate();
    mat.deallocate();
    return bytes;
  }

  /** The child: prints the resident-set growth of one decode, in bytes. */
  public static final class Probe {
    public static void main(String[] args) throws Exception {
      byte[] encoded = Files.readAllBytes(Path.of(args[0]));
      ImageLoader loader = new ImageLoader(ImageLimits.defaults()); // the largest images the server takes
      loader.decode(Files.readAllBytes(Path.of(args[1]))); // the codec loaded, before the baseline
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      long before = status("VmRSS:");
      DecodedImage image = loader.decode(encoded);
      long peak = status("VmHWM:");
      if (image.pixelWidth() > ImageLoader.DEFAULT_TARGET_LONG_SIDE) {
        throw new IllegalStateException("not shrunk: " + image.pixelWidth());
      }
      System.out.println(peak - before);
    }

    private static long status(String field) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]) * 1024;
        }
      }
      throw new IOException("no " + field + " in /proc/self/status");
    }
  }
}
