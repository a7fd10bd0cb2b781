package dev.loupe.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loupe.image.ImageRejected.Reason;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cuts real encoded images short and checks that every cut is refused with a clear message, never
 * decoded into a partly grey picture.
 */
class TruncationTest {
  private final ImageLoader loader = new ImageLoader(ImageLimits.defaults());

  @Test
  void jpegCutAtEveryByte() {
    // With an EXIF block, whose thumbnail-free APP1 must be skipped by length, not searched.
    byte[] jpeg = TestImages.withExifOrientation(
        TestImages.encode(TestImages.photoLike(48, 32), "jpeg"), 6);

    var messages = messagesForEveryCut(jpeg);

    assertEquals("unsupported format: not a recognised image (starts with ff)", messages.get(1));
    messages.remove(1);
    assertEquals(Set.of("malformed jpeg: truncated (no end-of-image marker)"),
        Set.copyOf(messages.values()));
  }

  @Test
  void pngCutAtEveryByte() {
    byte[] png = TestImages.encode(TestImages.photoLike(48, 32), "png");

    var messages = messagesForEveryCut(png);

    assertEquals("unsupported format: not a recognised image (starts with 89 50 4e 47 0d 0a 1a)",
        messages.get(7));
    messages.headMap(8).clear(); // shorter than the signature: no way to tell it is a PNG
    assertEquals(Set.of("malformed png: truncated (no IEND chunk)"), Set.copyOf(messages.values()));
  }

  @ParameterizedTest
  @EnumSource(value = ImageFormat.class, names = {"GIF", "BMP", "WEBP", "TIFF"})
  void otherFormatsCutAtManyOffsets(ImageFormat format) {
    byte[] bytes = ImageLoaderTest.encoded(format, TestImages.photoLike(48, 32));
    var malformed = Set.of(Reason.MALFORMED, Reason.UNSUPPORTED_FORMAT);

    for (int cut : cuts(bytes.length)) {
      byte[] cutBytes = Arrays.copyOf(bytes, cut);
      ImageRejected e = assertThrows(ImageRejected.class, () -> loader.decode(cutBytes),
          () -> format + " cut at " + cut + " of " + bytes.length + " was decoded");
      if (!malformed.contains(e.reason())) {
        fail(format + " cut at " + cut + ": " + e.reason() + " " + e.getMessage());
      }
    }
  }

  @Test
  void dataAfterTheEndMarkerIsAllowed() throws ImageRejected {
    byte[] jpeg = TestImages.encode(TestImages.photoLike(48, 32), "jpeg");
    byte[] withTrailer = Arrays.copyOf(jpeg, jpeg.length + 100); // e.g. padding, a motion photo

    DecodedImage image = loader.decode(withTrailer);

    assertEquals("DecodedImage[jpeg 48x32 decoded at 48x32]", image.toString());
  }

  @Test
  void fullFilesDecode() throws ImageRejected {
    for (ImageFormat format : new ImageFormat[] {ImageFormat.JPEG, ImageFormat.PNG}) {
      byte[] bytes = ImageLoaderTest.encoded(format, TestImages.photoLike(48, 32));
      assertEquals(48, loader.decode(bytes).pixelWidth());
    }
  }

  /** Every cut from 1 byte to length - 1, decoded; maps each cut to its rejection message. */
  private TreeMap<Integer, String> messagesForEveryCut(byte[] bytes) {
    var messages = new TreeMap<Integer, String>();
    for (int cut = 1; cut < bytes.length; cut++) {
      byte[] cutBytes = Arrays.copyOf(bytes, cut);
      int at = cut;
      ImageRejected e = assertThrows(ImageRejected.class, () -> loader.decode(cutBytes),
          () -> "cut at " + at + " of " + bytes.length + " was decoded");
      messages.put(cut, e.getMessage());
    }
    return messages;
  }

  /** About 300 offsets spread over the file, plus every one of the first and last 40 bytes. */
  private static int[] cuts(int length) {
    return IntStream.concat(
            IntStream.concat(IntStream.range(1, Math.min(40, length)),
                IntStream.range(Math.max(1, length - 40), length)),
            IntStream.range(0, 300).map(i -> 1 + (int) ((long) i * (length - 1) / 300)))
        .filter(c -> c >= 1 && c < length).distinct().sorted().toArray();
  }
}
