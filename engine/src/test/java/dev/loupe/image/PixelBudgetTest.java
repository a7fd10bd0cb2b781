package dev.loupe.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelBudgetTest {
  @Test
  void decodeReservesItsPeakAndGivesItBack() throws ImageRejected {
    PixelBudget budget = new PixelBudget(64L << 20, Duration.ZERO);
    ImageLoader loader = new ImageLoader(ImageLimits.defaults(), List.of(), budget);
    byte[] png = TestImages.encode(TestImages.redBlue(1000, 800), "png");

    try (PixelBudget.Reservation held = budget.reserve((64L << 20) - 4_000_000)) {
      // 1000x800 PNG: 800000 pixels x 4 bytes and the 512x512x4 result = 4.25 MB, more than is left.
      PixelBudgetExhausted e = assertThrows(PixelBudgetExhausted.class, () -> loader.decode(png));
      assertEquals("The server is decoding too many pixels at once: 4248576 bytes of pixel memory did not free"
          + " up within 0 ms (budget 67108864 bytes).", e.getMessage());
    }
    assertEquals(64L << 20, budget.availableBytes());
    assertEquals(1000, loader.decode(png).width());
    assertEquals(64L << 20, budget.availableBytes());
  }

  @Test
  void jpegReservesAtItsReducedScale() {
    // 4000x3000 to 512: decoded at 1/4 (1000x750), 3 bytes a pixel, plus the 512x512x4 result.
    assertEquals(1000L * 750 * 3 + 512 * 512 * 4,
        OpenCvDecoder.peakBytes(new ImageInfo(ImageFormat.JPEG, 4000, 3000, 1), 512));
    assertEquals(4000L * 3000 * 4 + 512 * 512 * 4,
        OpenCvDecoder.peakBytes(new ImageInfo(ImageFormat.PNG, 4000, 3000, 1), 512));
  }

  @Test
  void reservationLargerThanTheBudgetRunsAlone() {
    PixelBudget budget = new PixelBudget(1L << 20, Duration.ZERO);
    try (PixelBudget.Reservation whole = budget.reserve(1L << 40)) {
      assertEquals(0, budget.availableBytes());
      assertThrows(PixelBudgetExhausted.class, () -> budget.reserve(1));
    }
    assertEquals(1L << 20, budget.availableBytes());
  }

  @Test
  void tooSmallBudgetIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PixelBudget(1000, Duration.ZERO));
    assertEquals("pixel budget must be at least 1048576 bytes, got: 1000", e.getMessage());
  }
}
