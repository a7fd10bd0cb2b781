package dev.loupe.image;

import dev.loupe.image.ImageRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Checks that an encoded image is complete before it reaches a decoder.
 *
 * <p>Written by hand because no library at hand does it: libjpeg pads a truncated JPEG with grey
 * and reports only a warning on stderr, libpng decodes a PNG whose IDAT data is complete but whose
 * IEND chunk is missing, and metadata-extractor stops reading at the first scan. Each check walks
 * the container's own framing (JPEG markers, PNG chunks, GIF blocks, the RIFF and BMP size fields)
 * without looking at compressed data, so it costs one pass over the bytes and allocates nothing.
 * TIFF is checked with the strip and tile tables metadata-extractor already parsed, see {@link
 * #checkTiff}.
 */
final class EncodedStructure {
  private EncodedStructure() {}

  static void check(ImageFormat format, byte[] b) throws ImageRejected {
    switch (format) {
      case JPEG -> checkJpeg(b);
      case PNG -> checkPng(b);
      case GIF -> checkGif(b);
      case WEBP -> checkWebp(b);
      case BMP -> checkBmp(b);
      case TIFF, HEIC -> {
        // TIFF: checkTiff after the header is read; HEIC: up to its FormatDecoder.
      }
    }
  }

  /**
   * Finds the end-of-image marker of the primary image. Segments are skipped by their length, so
   * the EOI of an EXIF thumbnail (inside APP1) does not count; data after the EOI (MPF pictures,
   * motion-photo videos) is allowed.
   */
  static void checkJpeg(byte[] b) throws ImageRejected {
    int n = b.length;
    int pos = 2; // after SOI, which format detection has seen
    while (true) {
      // libjpeg skips stray bytes before a marker ("extraneous bytes"); so do we.
      while (pos < n && (b[pos] & 0xff) != 0xff) {
        pos++;
      }
      while (pos < n && (b[pos] & 0xff) == 0xff) {
        pos++; // fill bytes
      }
      if (pos >= n) {
        throw jpegTruncated();
      }
      int marker = b[pos++] & 0xff;
      if (marker == 0xd9) {
        return; // EOI
      }
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        continue; // TEM and RSTn have no length
      }
      if (pos + 2 > n) {
        throw jpegTruncated();
      }
      int length = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
      if (length < 2) {
        throw new ImageRejected(Reason.MALFORMED, "malformed jpeg: segment 0x"
            + Integer.toHexString(marker) + " at offset " + (pos - 2) + " has length " + length);
      }
      pos += length;
      if (pos > n) {
        throw jpegTruncated();
      }
      if (marker == 0xda) {
        pos = skipEntropyCodedData(b, pos);
      }
    }
  }

  /** Returns the offset of the 0xFF that starts the next real marker after a scan, or length. */
  private static int skipEntropyCodedData(byte[] b, int pos) {
    int n = b.length;
    while (pos + 1 < n) {
      if ((b[pos] & 0xff) != 0xff) {
        pos++;
        continue;
      }
      int next = b[pos + 1] & 0xff;
      if (next == 0x00 || (next >= 0xd0 && next <= 0xd7) || next == 0xff) {
        pos += next == 0xff ? 1 : 2; // stuffed zero, restart marker, or fill byte
      } else {
        return pos;
      }
    }
    return n;
  }

  private static ImageRejected jpegTruncated() {
    return new ImageRejected(Reason.MALFORMED, "malformed jpeg: truncated (no end-of-image marker)");
  }

  /** Walks the chunks from the signature to IEND. */
  static void checkPng(byte[] b) throws ImageRejected {
    int n = b.length;
    long pos = 8;
    boolean first = true;
    while (true) {
      if (pos + 8 > n) {
        throw pngTruncated();
      }
      int p = (int) pos;
      long length = readUint32(b, p, false);
      String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
      if (first && !type.equals("IHDR")) {
        throw new ImageRejected(Reason.MALFORMED,
            "malformed png: first chunk is " + printable(type) + ", not IHDR");
      }
      first = false;
      pos += 12 + length; // length, type, data, CRC
      if (pos > n) {
        throw pngTruncated();
      }
      if (type.equals("IEND")) {
        return;
      }
    }
  }

  private static ImageRejected pngTruncated() {
    return new ImageRejected(Reason.MALFORMED, "malformed png: truncated (no IEND chunk)");
  }

  private static String printable(String type) {
    return type.chars().allMatch(c -> c >= 0x21 && c < 0x7f)
        ? type
        : "0x" + HexFormat.of().formatHex(type.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Walks GIF blocks (GIF89a section 27 grammar) to the trailer byte 0x3B. */
  static void checkGif(byte[] b) throws ImageRejected {
    int n = b.length;
    if (n < 13) {
      throw gifTruncated();
    }
    int pos = 13 + colorTableBytes(b[10]);
    while (true) {
      if (pos >= n) {
        throw gifTruncated();
      }
      int block = b[pos++] & 0xff;
      switch (block) {
        case 0x3b -> {
          return;
        }
        case 0x21 -> pos = skipSubBlocks(b, pos + 1); // label, then data sub-blocks
        case 0x2c -> {
          if (pos + 9 > n) {
            throw gifTruncated();
          }
          pos += 9 + colorTableBytes(b[pos + 8]);
          pos = skipSubBlocks(b, pos + 1); // LZW minimum code size, then image data
        }
        default -> throw new ImageRejected(Reason.MALFORMED, "malformed gif: unknown block 0x"
            + Integer.toHexString(block) + " at offset " + (pos - 1));
      }
    }
  }

  private static int colorTableBytes(byte packed) {
    return (packed & 0x80) == 0 ? 0 : 3 << ((packed & 0x07) + 1);
  }

  private static int skipSubBlocks(byte[] b, int pos) throws ImageRejected {
    while (true) {
      if (pos >= b.length) {
        throw gifTruncated();
      }
      int size = b[pos++] & 0xff;
      if (size == 0) {
        return pos;
      }
      pos += size;
    }
  }

  private static ImageRejected gifTruncated() {
    return new ImageRejected(Reason.MALFORMED, "malformed gif: truncated (no trailer)");
  }

  /** The RIFF header states the size of everything after its first 8 bytes. */
  static void checkWebp(byte[] b) throws ImageRejected {
    long declared = b.length >= 8 ? readUint32(b, 4, true) + 8 : 12;
    if (b.length < declared) {
      throw new ImageRejected(Reason.MALFORMED, "malformed webp: truncated (RIFF header declares "
          + declared + " bytes, " + b.length + " present)");
    }
  }

  /**
   * Uncompressed BMPs must hold every row; RLE-compressed ones are left to the decoder, which
   * fails on a short stream.
   */
  static void checkBmp(byte[] b) throws ImageRejected {
    if (b.length < 26) {
      throw bmpTruncated(26, b.length);
    }
    long offBits = readUint32(b, 10, true);
    long headerSize = readUint32(b, 14, true);
    long width;
    long height;
    int bitCount;
    long compression = 0;
    if (headerSize == 12) { // BITMAPCOREHEADER: 16-bit sizes
      width = readUint16(b, 18);
      height = readUint16(b, 20);
      bitCount = readUint16(b, 24);
    } else {
      if (b.length < 34) {
        throw bmpTruncated(34, b.length);
      }
      width = Math.abs((long) (int) readUint32(b, 18, true));
      height = Math.abs((long) (int) readUint32(b, 22, true));
      bitCount = readUint16(b, 28);
      compression = readUint32(b, 30, true);
    }
    boolean uncompressed = compression == 0 || compression == 3 || compression == 6;
    if (!uncompressed) {
      return;
    }
    long stride = (width * bitCount + 31) / 32 * 4;
    long needed = offBits + stride * height;
    if (b.length < needed) {
      throw bmpTruncated(needed, b.length);
    }
  }

  private static ImageRejected bmpTruncated(long needed, int present) {
    return new ImageRejected(Reason.MALFORMED,
        "malformed bmp: truncated (" + needed + " bytes needed, " + present + " present)");
  }

  /**
   * Every strip (or tile) of the first image must lie inside the file; libtiff would otherwise
   * fail late or, for some codecs, leave rows blank.
   */
  static void checkTiff(byte[] b, long[] offsets, long[] counts) throws ImageRejected {
    if (offsets == null || counts == null || offsets.length != counts.length) {
      throw new ImageRejected(Reason.MALFORMED, "malformed tiff: no strip or tile table");
    }
    for (int i = 0; i < offsets.length; i++) {
      long end = offsets[i] + counts[i];
      if (end > b.length) {
        throw new ImageRejected(Reason.MALFORMED, "malformed tiff: truncated (image data ends at byte "
            + end + ", " + b.length + " present)");
      }
    }
  }

  private static long readUint32(byte[] b, int pos, boolean littleEndian) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      int shift = littleEndian ? 8 * i : 8 * (3 - i);
      v |= (long) (b[pos + i] & 0xff) << shift;
    }
    return v;
  }

  private static int readUint16(byte[] b, int pos) {
    return (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
  }
}
