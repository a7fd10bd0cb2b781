package dev.loupe.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An image's keypoints: where each sits, its binary descriptor and the mean colour around it.
 * Coordinates are in the frame of the decoded working-resolution pixels ({@link #frameWidth()} by
 * {@link #frameHeight()}), which is what geometric verification aligns.
 *
 * <p>Two widths of descriptor: a <b>full</b> set keeps ORB's 256 bits per keypoint ({@link
 * #DESCRIPTOR_WORDS} longs); a <b>compact</b> set, what the index stores ({@link #compact}), keeps
 * only the first {@value #SIGNATURE_BITS} bits, a short binary signature of the keypoint (ORB's
 * learned tests are ordered by how much they tell, so the first are the most useful), and no
 * colours. Distances between two sets compare the bits both have ({@link #comparedBits}).
 *
 * <p>The arrays are shared, not copied (a query touches hundreds of thousands of descriptor words);
 * callers must not modify them. A compact set is serialised by {@link #toBytes()} in {@value
 * #COMPACT_BYTES_PER_KEYPOINT} bytes per keypoint (12-bit coordinates relative to the frame and the
 * signature) plus a {@value #HEADER_BYTES}-byte header; a full set in
 * {@value #BYTES_PER_KEYPOINT} (the first format, still read from older indexes).
 *
 * @param frameWidth width of the pixel frame the coordinates refer to
 * @param frameHeight height of that frame
 * @param x keypoint x coordinates, in pixels of the frame
 * @param y keypoint y coordinates
 * @param descriptors {@link #DESCRIPTOR_WORDS} longs per keypoint (ORB's 32 bytes, little-endian), or
 *     one long per keypoint in a compact set (the signature in its low bits)
 * @param colours three bytes per keypoint, blue, green, red: the mean around the keypoint; empty in
 *     a compact set
 */
public record LocalFeatures(int frameWidth, int frameHeight, float[] x, float[] y, long[] descriptors, byte[] colours) {
  /** Longs per descriptor: 256 bits. */
  public static final int DESCRIPTOR_WORDS = 4;
  /** Bits per descriptor. */
  public static final int DESCRIPTOR_BITS = 64 * DESCRIPTOR_WORDS;
  /**
   * Keypoints the index stores per image at most: the extractor's budget for an indexed image, and
   * what {@link #compact} keeps of a set written before that budget.
   */
  public static final int STORED_KEYPOINTS = 256;
  /** Bits of a compact set's signature: the first bits of the descriptor. */
  public static final int SIGNATURE_BITS = 48;
  private static final long SIGNATURE_MASK = (1L << SIGNATURE_BITS) - 1;
  static final int HEADER_BYTES = 8;
  static final int BYTES_PER_KEYPOINT = 4 + 8 * DESCRIPTOR_WORDS + 3;
  static final int COMPACT_BYTES_PER_KEYPOINT = 3 + SIGNATURE_BITS / 8;
  private static final byte VERSION = 1;
  private static final byte COMPACT_VERSION = 2;
  /** Steps of a compact set's coordinates across the frame (12 bits). */
  private static final int RELATIVE_STEPS = 4095;
  /** Coordinates are stored as unsigned 16-bit fixed point with this many steps per pixel. */
  private static final float COORDINATE_STEPS = 32f;
  /** Largest frame side the stored coordinates can address. */
  public static final int MAX_FRAME_SIDE = (int) (65535 / COORDINATE_STEPS);

  /**
   * Keypoints not computed (keypoints turned off, or an image indexed before keypoints existed).
   * A picture in which the extractor found nothing has its own empty instance with its frame, so
   * {@link #isComputed()} tells the two apart.
   */
  public static final LocalFeatures EMPTY =
      new LocalFeatures(1, 1, new float[0], new float[0], new long[0], new byte[0]);

  public LocalFeatures {
    int n = x.length;
    boolean widthKnown = descriptors.length == n * DESCRIPTOR_WORDS || descriptors.length == n;
    boolean coloursKnown = colours.length == 3 * n || (colours.length == 0 && descriptors.length == n);
    if (y.length != n || !widthKnown || !coloursKnown) {
      throw new IllegalArgumentException("inconsistent keypoint arrays: " + n + " x, " + y.length + " y, "
          + descriptors.length + " descriptor words, " + colours.length + " colour bytes");
    }
    if (frameWidth < 1 || frameHeight < 1 || frameWidth > MAX_FRAME_SIDE || frameHeight > MAX_FRAME_SIDE) {
      throw new IllegalArgumentException("frame must be 1.." + MAX_FRAME_SIDE + " on each side, got: "
          + frameWidth + "x" + frameHeight);
    }
  }

  /** Whether these keypoints were extracted (possibly none), rather than {@link #EMPTY}. */
  public boolean isComputed() {
    return this != EMPTY;
  }

  /** Number of keypoints. */
  public int size() {
    return x.length;
  }

  public boolean isEmpty() {
    return x.length == 0;
  }

  /** Whether the mean colour of each keypoint is known (a compact set does not keep it). */
  public boolean hasColours() {
    return colours.length == 3 * x.length;
  }

  /** Whether each keypoint keeps only its {@value #SIGNATURE_BITS}-bit signature (see {@link #compact}). */
  public boolean isCompact() {
    return x.length > 0 && descriptors.length == x.length && DESCRIPTOR_WORDS > 1;
  }

  /** Longs per keypoint in {@link #descriptors()}. */
  public int descriptorWords() {
    return isCompact() ? 1 : DESCRIPTOR_WORDS;
  }

  /** How many descriptor bits {@link #distance} compares between this set and {@code other}. */
  public int comparedBits(LocalFeatures other) {
    return isCompact() || other.isCompact() ? SIGNATURE_BITS : DESCRIPTOR_BITS;
  }

  /**
   * Hamming distance between keypoint {@code i} of this set and keypoint {@code j} of {@code other},
   * over the {@link #comparedBits} both sets keep.
   */
  public int distance(int i, LocalFeatures other, int j) {
    long[] a = descriptors;
    long[] b = other.descriptors;
    if (isCompact() || other.isCompact()) {
      return Long.bitCount((a[i * descriptorWords()] ^ b[j * other.descriptorWords()]) & SIGNATURE_MASK);
    }
    int p = i * DESCRIPTOR_WORDS;
    int q = j * DESCRIPTOR_WORDS;
    return Long.bitCount(a[p] ^ b[q]) + Long.bitCount(a[p + 1] ^ b[q + 1])
        + Long.bitCount(a[p + 2] ^ b[q + 2]) + Long.bitCount(a[p + 3] ^ b[q + 3]);
  }

  /**
   * What the index stores: at most {@code max} keypoints, each with its {@value #SIGNATURE_BITS}-bit
   * signature. When there are more, they are taken in order (the extractor lists the strongest
   * first) while each cell of a 4 x 4 grid keeps at most an equal share, then the rest fill up in
   * order, so that the kept keypoints stay spread over the frame.
   */
  public LocalFeatures compact(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative, got: " + max);
    }
    int n = size();
    int[] keep = spread(max);
    if (keep.length == n && (isCompact() || n == 0)) {
      return this;
    }
    int words = descriptorWords();
    float[] kx = new float[keep.length];
    float[] ky = new float[keep.length];
    long[] kd = new long[keep.length];
    for (int k = 0; k < keep.length; k++) {
      int i = keep[k];
      kx[k] = x[i];
      ky[k] = y[i];
      kd[k] = descriptors[i * words] & SIGNATURE_MASK;
    }
    return new LocalFeatures(frameWidth, frameHeight, kx, ky, kd, new byte[0]);
  }

  /** The indices {@link #compact} keeps, in order. */
  private int[] spread(int max) {
    int n = size();
    if (n <= max) {
      return java.util.stream.IntStream.range(0, n).toArray();
    }
    final int grid = 4;
    int share = (max + grid * grid - 1) / (grid * grid);
    int[] taken = new int[grid * grid];
    boolean[] chosen = new boolean[n];
    int kept = 0;
    for (int i = 0; i < n && kept < max; i++) {
      int cx = Math.min(grid - 1, Math.max(0, (int) (x[i] * grid / frameWidth)));
      int cy = Math.min(grid - 1, Math.max(0, (int) (y[i] * grid / frameHeight)));
      if (taken[cy * grid + cx] < share) {
        taken[cy * grid + cx]++;
        chosen[i] = true;
        kept++;
      }
    }
    for (int i = 0; i < n && kept < max; i++) {
      if (!chosen[i]) {
        chosen[i] = true;
        kept++;
      }
    }
    int[] out = new int[max];
    for (int i = 0, k = 0; i < n; i++) {
      if (chosen[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /**
   * The bytes the index stores: the compact format for a compact set, the first (full) format
   * otherwise. {@link #fromBytes} reads both.
   */
  public byte[] toBytes() {
    if (isCompact()) {
      return compactBytes();
    }
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + BYTES_PER_KEYPOINT * size()).order(ByteOrder.LITTLE_ENDIAN);
    out.put(VERSION).put((byte) 0).putShort((short) frameWidth).putShort((short) frameHeight);
    out.putShort((short) size());
    for (int i = 0; i < size(); i++) {
      out.putShort(fixed(x[i], frameWidth)).putShort(fixed(y[i], frameHeight));
      for (int w = 0; w < DESCRIPTOR_WORDS; w++) {
        out.putLong(descriptors[i * DESCRIPTOR_WORDS + w]);
      }
      out.put(colours, 3 * i, 3);
    }
    return out.array();
  }

  private byte[] compactBytes() {
    int n = size();
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + COMPACT_BYTES_PER_KEYPOINT * n).order(ByteOrder.LITTLE_ENDIAN);
    out.put(COMPACT_VERSION).put((byte) 0).putShort((short) frameWidth).putShort((short) frameHeight);
    out.putShort((short) n);
    for (int i = 0; i < n; i++) {
      int qx = relative(x[i], frameWidth);
      int qy = relative(y[i], frameHeight);
      out.put((byte) (qx >>> 4)).put((byte) (((qx & 15) << 4) | (qy >>> 8))).put((byte) qy);
      long signature = descriptors[i];
      for (int b = 0; b < SIGNATURE_BITS; b += 8) {
        out.put((byte) (signature >>> b));
      }
    }
    return out.array();
  }

  /** Reads {@link #toBytes()} (either format); throws IllegalArgumentException on bytes it did not write. */
  public static LocalFeatures fromBytes(byte[] bytes, int offset, int length) {
    if (length < HEADER_BYTES) {
      throw new IllegalArgumentException("keypoint block too short: " + length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    byte version = in.get();
    if (version != VERSION && version != COMPACT_VERSION) {
      throw new IllegalArgumentException("unknown keypoint block version: " + version);
    }
    in.get();
    int width = Short.toUnsignedInt(in.getShort());
    int height = Short.toUnsignedInt(in.getShort());
    int n = Short.toUnsignedInt(in.getShort());
    if (version == COMPACT_VERSION) {
      return readCompact(in, length, width, height, n);
    }
    if (length != HEADER_BYTES + BYTES_PER_KEYPOINT * n) {
      throw new IllegalArgumentException("keypoint block of " + length + " bytes cannot hold " + n + " keypoints");
    }
    float[] x = new float[n];
    float[] y = new float[n];
    long[] d = new long[n * DESCRIPTOR_WORDS];
    byte[] c = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      x[i] = Short.toUnsignedInt(in.getShort()) / COORDINATE_STEPS;
      y[i] = Short.toUnsignedInt(in.getShort()) / COORDINATE_STEPS;
      for (int w = 0; w < DESCRIPTOR_WORDS; w++) {
        d[i * DESCRIPTOR_WORDS + w] = in.getLong();
      }
      in.get(c, 3 * i, 3);
    }
    return new LocalFeatures(width, height, x, y, d, c);
  }

  private static LocalFeatures readCompact(ByteBuffer in, int length, int width, int height, int n) {
    if (length != HEADER_BYTES + COMPACT_BYTES_PER_KEYPOINT * n) {
      throw new IllegalArgumentException("compact keypoint block of " + length + " bytes cannot hold " + n + " keypoints");
    }
    float[] x = new float[n];
    float[] y = new float[n];
    long[] d = new long[n];
    for (int i = 0; i < n; i++) {
      int b0 = in.get() & 0xff;
      int b1 = in.get() & 0xff;
      int b2 = in.get() & 0xff;
      x[i] = (b0 << 4 | b1 >>> 4) * (float) width / RELATIVE_STEPS;
      y[i] = ((b1 & 15) << 8 | b2) * (float) height / RELATIVE_STEPS;
      long signature = 0;
      for (int b = 0; b < SIGNATURE_BITS; b += 8) {
        signature |= (in.get() & 0xffL) << b;
      }
      d[i] = signature;
    }
    return new LocalFeatures(width, height, x, y, d, new byte[0]);
  }

  private static int relative(float v, int side) {
    float clamped = Math.max(0, Math.min(side, v));
    return Math.round(clamped * RELATIVE_STEPS / side);
  }

  private static short fixed(float v, int side) {
    float clamped = Math.max(0, Math.min(side, v));
    return (short) Math.round(clamped * COORDINATE_STEPS);
  }
}
