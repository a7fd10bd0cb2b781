package dev.loupe.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads the source images of the dev set: JPEG and PNG through ImageIO, which keeps PNG alpha for
 * the stamps, and WEBP (which ImageIO cannot read) through OpenCV, so the builder needs no
 * ImageMagick. The quality benchmark's peers decode the dev set's JPEGs with {@link #decodeBgr}.
 */
final class SourceImages {
  private SourceImages() {}

  static BufferedImage read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    if (!path.getFileName().toString().endsWith(".webp")) {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image != null) {
        return image;
      }
    }
    return decodeBgr(bytes, path);
  }

  /**
   * Decodes any format OpenCV reads into a {@code TYPE_3BYTE_BGR} image (grey files too, alpha
   * dropped); {@code path} only names the file in the error.
   */
  static BufferedImage decodeBgr(byte[] bytes, Path path) throws IOException {
    try (var pointer = new BytePointer(bytes);
        var encoded = new Mat(1, bytes.length, CV_8UC1, pointer);
        Mat decoded = imdecode(encoded, IMREAD_COLOR)) {
      if (decoded.empty()) {
        throw new IOException("neither ImageIO nor OpenCV can decode " + path);
      }
      var image = new BufferedImage(decoded.cols(), decoded.rows(), BufferedImage.TYPE_3BYTE_BGR);
      byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      // imdecode returns a continuous 8-bit BGR matrix: the exact layout of TYPE_3BYTE_BGR.
      decoded.data().get(target);
      return image;
    }
  }
}
