package dev.loupe.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.loupe.image.ImageRejected.Reason;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataBoundsTest {
  private final ImageLoader loader = new ImageLoader(ImageLimits.defaults());

  @ParameterizedTest
  @ValueSource(strings = {"zTXt", "iCCP"})
  void compressedPngChunkThatInflatesToGigabytesIsRefusedWithoutInflatingIt(String type) {
    byte[] bomb = TestImages.pngWithInflatingChunk(type, 64, 64, 2048);
    assertTrue(bomb.length > 1_900_000 && bomb.length < 2_200_000, "bomb is " + bomb.length + " bytes");
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();

    ImageRejected e = assertThrows(ImageRejected.class, () -> loader.probe(bomb));

    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(Reason.METADATA_TOO_LARGE, e.reason());
    assertEquals("image metadata (text, EXIF, XMP, ICC) exceeds 4194304 bytes at the png " + type
        + " chunk; at most 4194304 bytes are allowed", e.getMessage());
    // Flat memory: the 2 GB are counted in a scratch buffer, never held.
    assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
  }

  @Test
  void compressedTextWithinTheCapIsAccepted() throws ImageRejected {
    byte[] png = TestImages.pngWithInflatingChunk("zTXt", 64, 40, 3);

    assertEquals(new ImageInfo(ImageFormat.PNG, 64, 40, 1), loader.probe(png));
  }

  @Test
  void capIsConfigurable() {
    ImageLoader strict = new ImageLoader(new ImageLimits(11, 200, 10 << 20, 100_000_000L, 1 << 20));
    byte[] png = TestImages.pngWithInflatingChunk("zTXt", 64, 40, 3);

    ImageRejected e = assertThrows(ImageRejected.class, () -> strict.probe(png));

    assertEquals("image metadata (text, EXIF, XMP, ICC) exceeds 1048576 bytes at the png zTXt chunk;"
        + " at most 1048576 bytes are allowed", e.getMessage());
  }

  @Test
  void jpegApplicationSegmentsAreSummed() {
    // 80 APP2 segments of 65535 bytes: the shape of a multi-segment ICC profile, 5.2 MB in all.
    byte[] jpeg = TestImages.encode(TestImages.redBlue(64, 40), "jpeg");
    var out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    byte[] segment = ByteBuffer.allocate(65537).put((byte) 0xff).put((byte) 0xe2).putShort((short) 65535)
        .array();
    for (int i = 0; i < 80; i++) {
      out.writeBytes(segment);
    }
    out.write(jpeg, 2, jpeg.length - 2);

    ImageRejected e = assertThrows(ImageRejected.class, () -> loader.probe(out.toByteArray()));

    assertEquals("image metadata (text, EXIF, XMP, ICC) exceeds 4194304 bytes at the jpeg APP2 segment;"
        + " at most 4194304 bytes are allowed", e.getMessage());
  }

  @Test
  void negativeCapIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ImageLimits(11, 200, 10 << 20, 100_000_000L, -1));

    assertEquals("maxMetadataBytes must be at least 0, got: -1", e.getMessage());
  }
}
