package dev.loupe.features;

import java.util.HexFormat;

/**
 * A 256-bit perceptual hash, stored as four 64-bit words, most significant word first.
 *
 * <p>The index splits it into sixteen 16-bit chunks ({@link #chunk(int)}) for exact
 * Hamming-radius search by pigeonhole; {@link #distance(Hash256)} is the full Hamming distance.
 */
public record Hash256(long w0, long w1, long w2, long w3) {
  /** Number of bits. */
  public static final int BITS = 256;
  /** Number of 16-bit chunks the index splits a hash into. */
  public static final int CHUNKS = 16;

  /** Hamming distance, 0 to 256. */
  public int distance(Hash256 other) {
    return Long.bitCount(w0 ^ other.w0) + Long.bitCount(w1 ^ other.w1)
        + Long.bitCount(w2 ^ other.w2) + Long.bitCount(w3 ^ other.w3);
  }

  /** Bit {@code i} (0 = most significant bit of {@code w0}). */
  public boolean bit(int i) {
    long word = word(i >>> 6);
    return ((word >>> (63 - (i & 63))) & 1L) != 0;
  }

  /** Chunk {@code i} of 16, as an unsigned 16-bit value (0 = the top 16 bits of {@code w0}). */
  public int chunk(int i) {
    if (i < 0 || i >= CHUNKS) {
      throw new IllegalArgumentException("chunk must be in 0.." + (CHUNKS - 1) + ", got: " + i);
    }
    long word = word(i >>> 2);
    return (int) ((word >>> (48 - 16 * (i & 3))) & 0xFFFF);
  }

  private long word(int i) {
    return switch (i) {
      case 0 -> w0;
      case 1 -> w1;
      case 2 -> w2;
      case 3 -> w3;
      default -> throw new IllegalArgumentException("word must be in 0..3, got: " + i);
    };
  }

  /** Builds a hash from 256 bits, {@code bits[0]} being the most significant. */
  public static Hash256 ofBits(boolean[] bits) {
    if (bits.length != BITS) {
      throw new IllegalArgumentException("need " + BITS + " bits, got: " + bits.length);
    }
    long[] w = new long[4];
    for (int i = 0; i < BITS; i++) {
      if (bits[i]) {
        w[i >>> 6] |= 1L << (63 - (i & 63));
      }
    }
    return new Hash256(w[0], w[1], w[2], w[3]);
  }

  /** 32 bytes, big-endian. */
  public byte[] toBytes() {
    byte[] out = new byte[32];
    long[] w = {w0, w1, w2, w3};
    for (int i = 0; i < 32; i++) {
      out[i] = (byte) (w[i >>> 3] >>> (56 - 8 * (i & 7)));
    }
    return out;
  }

  /** Inverse of {@link #toBytes()}. */
  public static Hash256 fromBytes(byte[] bytes, int offset) {
    if (bytes.length - offset < 32) {
      throw new IllegalArgumentException("need 32 bytes from offset " + offset + ", got: " + (bytes.length - offset));
    }
    long[] w = new long[4];
    for (int i = 0; i < 32; i++) {
      w[i >>> 3] = (w[i >>> 3] << 8) | (bytes[offset + i] & 0xFFL);
    }
    return new Hash256(w[0], w[1], w[2], w[3]);
  }

  /** 64 lowercase hex digits. */
  public String toHex() {
    return HexFormat.of().formatHex(toBytes());
  }

  /** Inverse of {@link #toHex()}. */
  public static Hash256 fromHex(String hex) {
    if (hex.length() != 64) {
      throw new IllegalArgumentException("need 64 hex digits, got: " + hex.length());
    }
    return fromBytes(HexFormat.of().parseHex(hex), 0);
  }
}
