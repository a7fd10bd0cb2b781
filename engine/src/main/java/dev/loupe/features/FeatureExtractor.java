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
 *     && a.hash().distance(b.hash()) <= SearchSettings.DEFAULT_NEAR_DUPLICATE_DISTANCE;
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
 * Uniform borders trimmed (flat bands of any colour from each edge: padding, letterboxing, a
 * screenshot's frame; at most 45% per side); area-averaged to a 64 x 64 luminance grid; 2-D DCT;
 * the 16 x 16 lowest frequencies without the DC term, each bit set when its coefficient exceeds
 * their median (PDQ's construction, with the first row and column of frequencies kept). Copies
 * of one image (rescaled, recompressed, turned grey, brightness and contrast changed by 30%,
 * slightly blurred, padded or framed) measured 0 to 14 bits of Hamming distance from the
 * original, with a few outliers; unrelated images 104 or more, 124 typically. Use
 * {@link #COPY_DISTANCE_BOUND}. The figures, the outliers and how they were measured are in
 * {@code docs/features.md}.
 *
 * <p>{@link ImageSignature#quality()} (0 to 100) says how firmly the bits are set: the median
 * distance of the hashed DCT coefficients from their median, in luminance levels, 20 or more
 * scoring 100; it is lowered in proportion when the trimmed content is under a quarter of the
 * image. Blank, nearly uniform, faint-gradient, finely textured and tiny-detail images score
 * low, and so do pictures whose structure is all in one or two frequencies (smooth wavy bands,
 * stripes): their bits are decided by noise, so such a hash would "match" unrelated images or
 * miss its own copies. Below {@link #MIN_COPY_QUALITY} a hash must never be used to claim a copy.
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
 * Thread-safe and cheap to share: the scratch buffers live per thread (under 0.5 MB each).
 * About 1.4 ms per 512 x 384 image on one core, a quarter of it for the SHA-256 of the pixel key.
 * Pure Java: no native library is loaded.
 */
public final class FeatureExtractor {
  /** Length of {@link ImageSignature#descriptor()}. */
  public static final int DESCRIPTOR_DIMENSIONS = GlobalDescriptor.DIMENSIONS;
  /**
   * Hashes of lower quality never produce copy matches: 30, a median coefficient margin of six
   * luminance levels. Detailed photographs and artwork score 50 to 100; blank images, faint
   * gradients, noise, stripes and smooth bands under 20, where edited copies were seen to move
   * by 40 to 130 bits.
   */
  public static final int MIN_COPY_QUALITY = 30;
  /**
   * The Hamming distance within which this hash keeps edited copies: 31 bits, the radius the
   * index's 16-chunk pigeonhole search covers exactly. Edited copies measured 14 or less in almost
   * all cases; unrelated images 104 or more. The searcher claims copies within a smaller radius
   * tuned against false claims ({@code SearchSettings.DEFAULT_NEAR_DUPLICATE_DISTANCE}).
   */
  public static final int COPY_DISTANCE_BOUND = 31;

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

  /**
   * The descriptors of the image after each rotation and mirror, in {@link DihedralTransform}
   * order without the identity (7 arrays). The 64 x 64 grid the descriptor is computed from is
   * square, so a rotated or mirrored image's grid is the same permutation of the original's grid:
   * these equal the descriptors of the transformed images without decoding them. A query whose hash
   * is too weak to find rotated copies searches with these instead. Costs about 2 ms.
   */
  public List<float[]> dihedralDescriptors(DecodedImage image) {
    Scratch s = scratch.get();
    int w = image.pixelWidth();
    byte[] bgr = image.bgr();
    ContentBounds bounds = BorderTrimmer.trim(bgr, w, image.pixelHeight());
    s.resampler.resample(bgr, w, bounds, s.blue, s.green, s.red);
    int n = PerceptualHash.GRID;
    List<float[]> out = new java.util.ArrayList<>();
    float[] b = new float[n * n];
    float[] g = new float[n * n];
    float[] r = new float[n * n];
    float[] l = new float[n * n];
    for (DihedralTransform t : DihedralTransform.values()) {
      if (t == DihedralTransform.IDENTITY) {
        continue;
      }
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int[] to = t.moveCell(x, y, n);
          int src = y * n + x;
          int dst = to[1] * n + to[0];
          b[dst] = s.blue[src];
          g[dst] = s.green[src];
          r[dst] = s.red[src];
          l[dst] = luminance(s.blue[src], s.green[src], s.red[src]);
        }
      }
      float[] descriptor = new float[DESCRIPTOR_DIMENSIONS];
      GlobalDescriptor.compute(b, g, r, l, descriptor);
      out.add(descriptor);
    }
    return out;
  }

  /**
   * The part of {@code image}'s pixel buffer its hash and descriptor are computed from: uniform
   * borders trimmed as described in the class doc.
   */
  public static ContentBounds contentBounds(DecodedImage image) {
    return BorderTrimmer.trim(image.bgr(), image.pixelWidth(), image.pixelHeight());
  }

  /** ITU-R BT.601 luma, the weights PDQ uses, 0..255. */
  static float luminance(float b, float g, float r) {
    return 0.299f * r + 0.587f * g + 0.114f * b;
  }

  /** Per-thread buffers: the grids, and the resampler's row buffer (up to 400 KB). */
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
