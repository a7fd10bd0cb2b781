package dev.loupe.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An image's keypoints: where each sits, its 256-bit binary descriptor and the mean colour around
 * it. Coordinates are in the frame of the decoded working-resolution pixels ({@link #frameWidth()}
 * by {@link #frameHeight()}), which is what geometric verification aligns.
 *
 * <p>The arrays are shared, not copied (a query touches hundreds of thousands of descriptor words);
 * callers must not modify them. Serialised by {@link #toBytes()} in {@value #BYTES_PER_KEYPOINT}
 * bytes per keypoint plus a {@value #HEADER_BYTES}-byte header.
 *
 * @param frameWidth width of the pixel frame the coordinates refer to
 * @param frameHeight height of that frame
 * @param x keypoint x coordinates, in pixels of the frame
 * @param y keypoint y coordinates
 * @param descriptors {@link #DESCRIPTOR_WORDS} longs per keypoint (ORB's 32 bytes, little-endian)
 * @param colours three bytes per keypoint, blue, green, red: the mean around the keypoint
 */
public record LocalFeatures(int frameWidth, int frameHeight, float[] x, float[] y, long[] descriptors, byte[] colours) {
  /** Longs per descriptor: 256 bits. */
  public static final int DESCRIPTOR_WORDS = 4;
  /** Bits per descriptor. */
  public static final int DESCRIPTOR_BITS = 64 * DESCRIPTOR_WORDS;
  static final int HEADER_BYTES = 8;
  static final int BYTES_PER_KEYPOINT = 4 + 8 * DESCRIPTOR_WORDS + 3;
  private static final byte VERSION = 1;
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
    if (y.length != n || descriptors.length != n * DESCRIPTOR_WORDS || colours.length != 3 * n) {
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

  /** Hamming distance between keypoint {@code i} of this set and keypoint {@code j} of {@code other}. */
  public int distance(int i, LocalFeatures other, int j) {
    long[] a = descriptors;
    long[] b = other.descriptors;
    int p = i * DESCRIPTOR_WORDS;
    int q = j * DESCRIPTOR_WORDS;
    return Long.bitCount(a[p] ^ b[q]) + Long.bitCount(a[p + 1] ^ b[q + 1])
        + Long.bitCount(a[p + 2] ^ b[q + 2]) + Long.bitCount(a[p + 3] ^ b[q + 3]);
  }

  /** The compact form the index stores. */
  public byte[] toBytes() {
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

  /** Reads {@link #toBytes()}; throws IllegalArgumentException on bytes it did not write. */
  public static LocalFeatures fromBytes(byte[] bytes, int offset, int length) {
    if (length < HEADER_BYTES) {
      throw new IllegalArgumentException("keypoint block too short: " + length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown keypoint block version: " + version);
    }
    in.get();
    int width = Short.toUnsignedInt(in.getShort());
    int height = Short.toUnsignedInt(in.getShort());
    int n = Short.toUnsignedInt(in.getShort());
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

  private static short fixed(float v, int side) {
    float clamped = Math.max(0, Math.min(side, v));
    return (short) Math.round(clamped * COORDINATE_STEPS);
  }
}
