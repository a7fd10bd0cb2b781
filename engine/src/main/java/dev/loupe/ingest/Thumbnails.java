package dev.loupe.ingest;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import dev.loupe.image.DecodedImage;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Encodes the display thumbnail of an image: JPEG, longest side at most {@link #LONG_SIDE}. */
final class Thumbnails {
  static final int LONG_SIDE = 256;
  private static final int QUALITY = 82;

  private Thumbnails() {}

  static byte[] encode(DecodedImage image) {
    int w = image.pixelWidth();
    int h = image.pixelHeight();
    double scale = Math.min(1.0, (double) LONG_SIDE / Math.max(w, h));
    int tw = Math.max(1, (int) Math.round(w * scale));
    int th = Math.max(1, (int) Math.round(h * scale));
    try (Mat src = new Mat(h, w, CV_8UC3);
        Mat small = new Mat();
        BytePointer out = new BytePointer();
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, QUALITY)) {
      src.data().put(image.bgr());
      Mat toEncode = src;
      if (tw != w || th != h) {
        resize(src, small, new Size(tw, th), 0, 0, INTER_AREA);
        toEncode = small;
      }
      if (!imencode(".jpg", toEncode, out, params)) {
        throw new IllegalStateException("JPEG encoder failed for a " + tw + "x" + th + " thumbnail");
      }
      byte[] bytes = new byte[(int) out.limit()];
      out.get(bytes);
      return bytes;
    }
  }
}
