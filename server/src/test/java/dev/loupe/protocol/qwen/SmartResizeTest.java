package dev.loupe.protocol.qwen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every worked value of contract section 9, and the edges around them. */
class SmartResizeTest {
  @ParameterizedTest(name = "{0}x{1} f={2} highRes={3} -> {4}x{5}, {6} patches")
  @CsvSource({
      // image,      f, high-res, resized,    patches (the section 9 table, row by row)
      "788, 450,     32, false,   800, 448,   350",
      "788, 450,     32, true,    800, 448,   350",
      "788, 450,     28, false,   784, 448,   448",
      "788, 450,     28, true,    784, 448,   448",
      "1024, 1024,   32, false,   1024, 1024, 1024",
      "1024, 1024,   32, true,    1024, 1024, 1024",
      "1024, 1024,   28, false,   980, 980,   1225",
      "1024, 1024,   28, true,    1036, 1036, 1369",
      "4000, 3000,   32, false,   1856, 1376, 2494",
      "4000, 3000,   32, true,    4000, 3008, 11750",
      "4000, 3000,   28, false,   1148, 840,  1230",
      "4000, 3000,   28, true,    4004, 2996, 15301",
      "7680, 4320,   32, false,   2144, 1184, 2479",
      "7680, 4320,   32, true,    5440, 3072, 16320",
      "7680, 4320,   28, false,   1316, 728,  1222",
      "7680, 4320,   28, true,    4760, 2688, 16320",
      "20, 20,       32, false,   64, 64,     4",
      "20, 20,       32, true,    64, 64,     4",
      "20, 20,       28, false,   56, 56,     4",
      "20, 20,       28, true,    56, 56,     4",
      "11, 2000,     32, false,   32, 1984,   62",
      "11, 2000,     32, true,    32, 1984,   62",
      "11, 2000,     28, false,   28, 1988,   71",
      "11, 2000,     28, true,    28, 1988,   71",
  })
  void workedValuesOfSection9(int w, int h, int f, boolean highRes, int w2, int h2, int patches) {
    ResizedSize size = SmartResize.resize(w, h, PixelBounds.of(f, highRes, null, null));
    assertEquals(w2 + "x" + h2, size.toString());
    assertEquals(patches, size.patches());
    assertEquals(patches + 2, ImageTokens.of(w, h, PixelBounds.of(f, highRes, null, null)));
  }

  @Test
  void conformanceItem27SeedImageCosts352TokensAtFactor32() {
    assertEquals(352, ImageTokens.of(788, 450, PixelBounds.of(32, false, null, null)));
  }

  @Test
  void halvesRoundToEvenAsPythonDoes() {
    // 80 / 32 = 2.5 rounds to 2 (64), 112 / 32 = 3.5 rounds to 4 (128); Math.round would give 3 and 4.
    PixelBounds bounds = PixelBounds.of(32, false, null, 1L);
    assertEquals("64x128", SmartResize.resize(80, 112, bounds).toString());
    assertEquals("64x64", SmartResize.resize(80, 80, bounds).toString());
  }

  @Test
  void aspectRatioOver200IsRefusedAndExactly200Passes() {
    PixelBounds bounds = PixelBounds.of(32, false, null, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SmartResize.resize(2010, 10, bounds));
    assertEquals("image aspect ratio must be at most 200:1, got: 2010x10", e.getMessage());
    // 2000 / 32 = 62.5 rounds to even: 62 patches, 1984 px; 10 px becomes one patch.
    assertEquals("1984x32", SmartResize.resize(2000, 10, bounds).toString());
  }

  @Test
  void nonPositiveSidesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SmartResize.resize(0, 10, PixelBounds.of(32, false, null, null)));
    assertEquals("width and height must be at least 1, got: 0x10", e.getMessage());
  }

  @Test
  void aPartsMaxPixelsLowersTheCap() {
    // Seed 003 / contract 6.1: "max_pixels": 1003520 beside the image_url part, on a factor-32 model.
    ResizedSize size = SmartResize.resize(4000, 3000, PixelBounds.of(32, false, 1_003_520L, null));
    assertEquals(true, (long) size.width() * size.height() <= 1_003_520L, size.toString());
    assertEquals("1152x864", size.toString());
  }

  @Test
  void highResolutionIgnoresMaxPixels() {
    assertEquals(PixelBounds.of(32, true, null, null), PixelBounds.of(32, true, 100_000L, null));
    assertEquals(16_777_216L, PixelBounds.of(32, true, 100_000L, null).maxPixels());
    assertEquals(12_845_056L, PixelBounds.of(28, true, null, null).maxPixels());
  }

  @Test
  void defaultsFollowTheTable() {
    assertEquals(new PixelBounds(32, 4_096, 2_621_440), PixelBounds.of(32, false, null, null));
    assertEquals(new PixelBounds(28, 3_136, 1_003_520), PixelBounds.of(28, false, null, null));
  }

  @Test
  void userBoundsAreClampedToTheTable() {
    // max_pixels above 16,384 tokens is held there; below 4 tokens it is raised to 4 tokens.
    assertEquals(16_384L * 32 * 32, PixelBounds.of(32, false, Long.MAX_VALUE, null).maxPixels());
    assertEquals(4_096L, PixelBounds.of(32, false, 1L, null).maxPixels());
    // min_pixels never exceeds max_pixels nor drops under 4 tokens.
    assertEquals(2_621_440L, PixelBounds.of(32, false, null, 99_000_000L).minPixels());
    assertEquals(3_136L, PixelBounds.of(28, false, null, 0L).minPixels());
  }

  @Test
  void aPartsMinPixelsEnlargesSmallImages() {
    // 100x100 with min_pixels 150,000: beta = sqrt(15), 100 * 3.873 / 32 = 12.1, so 13 patches a side.
    ResizedSize size = SmartResize.resize(100, 100, PixelBounds.of(32, false, null, 150_000L));
    assertEquals("416x416", size.toString());
  }

  @Test
  void onlyFactors28And32Exist() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PixelBounds.of(14, false, null, null));
    assertEquals("factor must be 28 or 32, got: 14", e.getMessage());
  }

  @Test
  void resizedSidesAreAlwaysMultiplesWithinBounds() {
    java.util.Random random = new java.util.Random(20261121L);
    for (int i = 0; i < 2_000; i++) {
      int w = 11 + random.nextInt(8000);
      int h = Math.max(11, Math.min(8000, (int) (w * Math.exp(random.nextGaussian()))));
      if (Math.max(w, h) > 200L * Math.min(w, h)) {
        continue;
      }
      for (int f : new int[] {28, 32}) {
        for (boolean hr : new boolean[] {false, true}) {
          PixelBounds b = PixelBounds.of(f, hr, null, null);
          ResizedSize s = SmartResize.resize(w, h, b);
          String where = w + "x" + h + " f=" + f + " hr=" + hr + " -> " + s + " (seed 20261121)";
          assertEquals(0, s.width() % f, where);
          assertEquals(0, s.height() % f, where);
          assertEquals(true, (long) s.width() * s.height() <= b.maxPixels(), where);
        }
      }
    }
  }
}
