package dev.loupe.image;

import dev.loupe.image.ImageRejected.Reason;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Caps the metadata an image carries before metadata-extractor parses it: the sum of the text, XMP,
 * EXIF and ICC bytes, counted after inflation for the compressed PNG chunks (zTXt, compressed iTXt,
 * iCCP), must stay within {@link ImageLimits#maxMetadataBytes()}.
 *
 * <p>Without this check metadata-extractor inflates a zTXt chunk whole: 2 MB of PNG become 2 GB of
 * heap. Here compressed chunks are inflated into one 8 KiB scratch buffer that is counted and
 * discarded, and inflation stops as soon as the budget is spent, so the check costs at most {@code
 * maxMetadataBytes} of inflation work and a constant amount of memory. Written by hand because
 * neither metadata-extractor nor the JDK offers a size limit on what they inflate.
 *
 * <p>Counted: PNG {@code tEXt zTXt iTXt iCCP eXIf}; JPEG {@code APP0}-{@code APP15} and {@code COM}
 * segments before the first scan (EXIF, XMP, extended XMP, ICC and Photoshop blocks); WebP {@code
 * EXIF}, {@code XMP } and {@code ICCP} chunks. GIF, BMP and TIFF carry no compressed metadata, so
 * their metadata is bounded by {@link ImageLimits#maxEncodedBytes()}.
 */
final class MetadataBounds {
  private MetadataBounds() {}

  private static final int SCRATCH_BYTES = 8192;

  /**
   * Throws {@link Reason#METADATA_TOO_LARGE} if the metadata of {@code b} exceeds {@code max}. Call
   * after {@link EncodedStructure#check}, which guarantees the framing walked here is complete.
   */
  static void check(ImageFormat format, byte[] b, long max) throws ImageRejected {
    switch (format) {
      case PNG -> checkPng(b, max);
      case JPEG -> checkJpeg(b, max);
      case WEBP -> checkWebp(b, max);
      case GIF, BMP, TIFF, HEIC -> {
        // nothing compressed; HEIC is up to its FormatDecoder
      }
    }
  }

  private static void checkPng(byte[] b, long max) throws ImageRejected {
    long total = 0;
    int pos = 8;
    while (pos + 8 <= b.length) {
      long length = uint32(b, pos);
      String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
      int data = pos + 8;
      int end = (int) Math.min(b.length, data + length);
      long size = switch (type) {
        case "tEXt", "eXIf" -> end - data;
        case "zTXt", "iCCP" -> {
          // keyword or profile name, NUL, compression method, then zlib data
          int nul = indexOfNul(b, data, end);
          yield nul < 0 ? end - data : (nul - data) + inflatedSize(b, nul + 2, end, max - total, type);
        }
        case "iTXt" -> iTxtSize(b, data, end, max - total);
        default -> 0;
      };
      total += size;
      if (total > max) {
        throw tooLarge("png", type, max);
      }
      if (type.equals("IEND")) {
        return;
      }
      pos = (int) Math.min(Integer.MAX_VALUE, data + length + 4L);
    }
  }

  /** keyword NUL flag method language NUL translated NUL text; the text is zlib data if flag is 1. */
  private static long iTxtSize(byte[] b, int data, int end, long remaining) {
    int keywordEnd = indexOfNul(b, data, end);
    if (keywordEnd < 0 || keywordEnd + 3 > end) {
      return end - data;
    }
    boolean compressed = b[keywordEnd + 1] == 1;
    int languageEnd = indexOfNul(b, keywordEnd + 3, end);
    int translatedEnd = languageEnd < 0 ? -1 : indexOfNul(b, languageEnd + 1, end);
    if (!compressed || translatedEnd < 0) {
      return end - data;
    }
    return (translatedEnd + 1 - data) + inflatedSize(b, translatedEnd + 1, end, remaining, "iTXt");
  }

  /**
   * How many bytes the zlib stream in {@code b[from, to)} inflates to, counting no further than
   * {@code remaining + 1}. A corrupt stream counts what inflated before the fault: its parser
   * reports the fault.
   */
  private static long inflatedSize(byte[] b, int from, int to, long remaining, String type) {
    if (from >= to) {
      return 0;
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(b, from, to - from);
      byte[] scratch = new byte[SCRATCH_BYTES];
      long produced = 0;
      while (produced <= remaining && !inflater.finished()) {
        int n = inflater.inflate(scratch);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        produced += n;
      }
      return produced;
    } catch (DataFormatException e) {
      return inflater.getBytesWritten();
    } finally {
      inflater.end();
    }
  }

  private static void checkJpeg(byte[] b, long max) throws ImageRejected {
    long total = 0;
    int pos = 2;
    while (pos + 4 <= b.length) {
      if ((b[pos] & 0xff) != 0xff) {
        pos++; // stray bytes, skipped as libjpeg and EncodedStructure do
        continue;
      }
      int marker = b[pos + 1] & 0xff;
      if (marker == 0xff || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        pos += marker == 0xff ? 1 : 2;
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        return; // metadata-extractor reads no further than the first scan
      }
      int length = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
      if ((marker >= 0xe0 && marker <= 0xef) || marker == 0xfe) {
        total += length;
        if (total > max) {
          throw tooLarge("jpeg", marker == 0xfe ? "COM" : "APP" + (marker - 0xe0), max);
        }
      }
      pos += 2 + Math.max(length, 2);
    }
  }

  private static void checkWebp(byte[] b, long max) throws ImageRejected {
    long total = 0;
    long pos = 12; // RIFF, size, WEBP
    while (pos + 8 <= b.length) {
      int p = (int) pos;
      String type = new String(b, p, 4, StandardCharsets.ISO_8859_1);
      long length = uint32le(b, p + 4);
      if (type.equals("EXIF") || type.equals("XMP ") || type.equals("ICCP")) {
        total += length;
        if (total > max) {
          throw tooLarge("webp", type.strip(), max);
        }
      }
      pos += 8 + length + (length & 1);
    }
  }

  private static ImageRejected tooLarge(String format, String part, long max) {
    return new ImageRejected(Reason.METADATA_TOO_LARGE, "image metadata (text, EXIF, XMP, ICC) exceeds "
        + max + " bytes at the " + format + " " + part + " " + (format.equals("jpeg") ? "segment" : "chunk")
        + "; at most " + max + " bytes are allowed");
  }

  private static int indexOfNul(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static long uint32(byte[] b, int p) {
    return ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
  }

  private static long uint32le(byte[] b, int p) {
    return ((b[p + 3] & 0xffL) << 24) | ((b[p + 2] & 0xff) << 16) | ((b[p + 1] & 0xff) << 8) | (b[p] & 0xff);
  }
}
