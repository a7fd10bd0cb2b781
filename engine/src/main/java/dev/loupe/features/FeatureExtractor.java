package dev.loupe.features;

import dev.loupe.image.DecodedImage;
import java.util.List;

/**
 * Computes the {@link ImageSignature} of decoded pixels: the exact-match pixel key, the 256-bit
 * perceptual hash with its quality and dihedral variants, and the global descriptor.
 *
 * <pre>{@code
 * FeatureExtractor extractor = new FeatureExtractor();       // share one instance
 * ImageSignature a = extractor.extract(decodedA);
 * ImageSignature b = extractor.extract(decodedB);
 * boolean exact = a.pixelKey().equals(b.pixelKey());
 * boolean copy = a.quality() >= MIN_COPY_QUALITY && b.quality() >= MIN_COPY_QUALITY
 *     && a.hash().distance(b.hash()) <= NEAR_DUPLICATE_DISTANCE;
 * float similarity = dot(a.descriptor(), b.descriptor());   // cosine, -1..1
 * }</pre>
 *
 * <h2>Pixel key: what "same pixels" means</h2>
 *
 * {@link ImageSignature#pixelKey()} is the lowercase hex SHA-256 of sixteen bytes, the four
 * big-endian 32-bit integers full width, full height, pixel width and pixel height (see {@link
 * DecodedImage}), followed by the {@link DecodedImage#bgr()} bytes. Two images have equal keys
 * exactly when they have the same full dimensions and decode to the same pixels at Loupe's working
 * resolution. That is stronger than "same file bytes" in one direction (re-encoding losslessly, or
 * stripping metadata, keeps the key) and weaker in another: two files that differ only in detail
 * finer than the working resolution, or only in the alpha channel the decoder drops, get the same
 * key. Keys depend on the decoder and its downscaling, so they are comparable only between
 * signatures made by the same Loupe version.
 *
 * <h2>Perceptual hash</h2>
 *
 * Luminance; uniform borders trimmed ({@link BorderTrimmer}: flat rows and columns of any colour,
 * at most 45% per side); area-averaged to a 64 x 64 grid; 2-D DCT; the 16 x 16 lowest
 * frequencies after the DC row and column, each bit set when its coefficient exceeds their median
 * (PDQ's construction). Copies of one image (rescaled, recompressed, recoloured to grey, brightness
 * and contrast changed, slightly blurred, padded) stay within {@link #NEAR_DUPLICATE_DISTANCE}
 * bits of Hamming distance; unrelated images are about 128 bits apart. The measured figures are in
 * {@code docs/features.md}.
 *
 * <p>{@link ImageSignature#quality()} is PDQ's gradient-energy quality of the 64 x 64 grid (0 to
 * 100), reduced in proportion when the trimmed content is under a quarter of the image. Blank,
 * nearly uniform, faint-gradient and tiny-detail images score low: their hash bits are decided by
 * noise, so such a hash would "match" any other blank image. Below {@link #MIN_COPY_QUALITY} a
 * hash must never be used to claim a copy.
 *
 * <h2>Descriptor</h2>
 *
 * {@link ImageSignature#descriptor()} has {@link #DESCRIPTOR_DIMENSIONS} floats of unit length,
 * compared by dot product (cosine): a colour layout, a colour distribution and edge orientation
 * histograms of the trimmed image (see {@code docs/features.md}). It ranks edited copies, crops
 * and captioned versions of an image above unrelated images; it is a similarity, not a copy test.
 *
 * <h2>Threads and cost</h2>
 *
 * Thread-safe and cheap to share: the scratch buffers live per thread. About one millisecond per
 * 512-pixel image on one core, dominated by reading the pixels twice (luminance, SHA-256).
 */
public final class FeatureExtractor {
  /** Length of {@link ImageSignature#descriptor()}. */
  public static final int DESCRIPTOR_DIMENSIONS = GlobalDescriptor.DIMENSIONS;
  /**
   * Hashes of lower quality never produce copy matches: 40. Plain photographs and artwork score
   * 60 to 100; flat graphics with a few edges 40 to 60; blank images, faint gradients and noise
   * under 20.
   */
  public static final int MIN_COPY_QUALITY = 30;
  /**
   * The recommended near-duplicate radius for {@link ImageSignature#hash()}: 31 bits of Hamming
   * distance, the radius the index's 16-chunk pigeonhole search covers exactly. Edited copies
   * measure well under it; unrelated images about 128 apart.
   */
  public static final int NEAR_DUPLICATE_DISTANCE = 31;

  /** Content under this share of the image area lowers the quality in proportion. */
  private static final double FULL_QUALITY_AREA = 0.25;

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /** Creates an extractor; it holds no configuration, so one instance can serve the application. */
  public FeatureExtractor() {}

  /**
   * Computes the signature of {@code image}. Reads {@link DecodedImage#bgr()} without writing it.
   */
  public ImageSignature extract(DecodedImage image) {
    Scratch s = scratch.get();
    int w = image.pixelWidth();
    int h = image.pixelHeight();
    byte[] bgr = image.bgr();
    ContentBounds bounds = BorderTrimmer.trim(bgr, w, h);
    s.resampler.resample(bgr, w, bounds, s.blue, s.green, s.red);
    for (int i = 0; i < s.gridLuma.length; i++) {
      // Area averaging is linear, so the luminance of the averaged colours is the averaged luminance.
      s.gridLuma[i] = luminance(s.blue[i], s.green[i], s.red[i]);
    }

    float[] coefficients = PerceptualHash.coefficients(s.gridLuma, s.dct);
    List<Hash256> dihedral = PerceptualHash.dihedral(coefficients);
    double keptArea = (double) bounds.width() * bounds.height() / ((double) w * h);
    int quality = (int) (PerceptualHash.quality(coefficients)
        * Math.min(1.0, keptArea / FULL_QUALITY_AREA));

    float[] descriptor = new float[DESCRIPTOR_DIMENSIONS];
    GlobalDescriptor.compute(s.blue, s.green, s.red, s.gridLuma, descriptor);
    return new ImageSignature(PixelKey.of(image), dihedral.getFirst(), quality, dihedral, descriptor);
  }

  /** ITU-R BT.601 luma, the weights PDQ uses, 0..255. */
  static float luminance(float b, float g, float r) {
    return 0.299f * r + 0.587f * g + 0.114f * b;
  }

  /** Per-thread buffers, about 100 KB. */
  private static final class Scratch {
    private static final int CELLS = PerceptualHash.GRID * PerceptualHash.GRID;
    final AreaResampler resampler = new AreaResampler(PerceptualHash.GRID);
    final float[] blue = new float[CELLS];
    final float[] green = new float[CELLS];
    final float[] red = new float[CELLS];
    final float[] gridLuma = new float[CELLS];
    final float[] dct = new float[(PerceptualHash.FREQUENCIES + 1) * PerceptualHash.GRID];
  }
}
