package dev.loupe.image;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import dev.loupe.image.ImageRejected.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.IntStream;

/**
 * Format, dimensions and EXIF orientation from the header, through metadata-extractor, which reads
 * segments and chunks but never pixel data.
 */
final class HeaderReader {
  private HeaderReader() {}

  /** How many leading bytes an "unrecognised" message shows. */
  private static final int SHOWN_BYTES = 8;

  /** The format from the leading bytes; throws UNSUPPORTED_FORMAT for anything not in the enum. */
  static ImageFormat detect(byte[] encoded) throws ImageRejected {
    FileType type;
    try {
      type = FileTypeDetector.detectFileType(new ByteArrayInputStream(encoded));
    } catch (IOException | RuntimeException e) {
      type = FileType.Unknown;
    }
    if (type == FileType.Unknown && startsWith(encoded, PNG_SIGNATURE)) {
      // metadata-extractor wants the IHDR type too (16 bytes); a bare signature is a cut PNG, and
      // saying so beats "not a recognised image".
      type = FileType.Png;
    }
    return switch (type) {
      case Jpeg -> ImageFormat.JPEG;
      case Png -> ImageFormat.PNG;
      case Bmp -> ImageFormat.BMP;
      case Gif -> ImageFormat.GIF;
      case Tiff -> ImageFormat.TIFF;
      case WebP -> ImageFormat.WEBP;
      // HEIF with an HEVC-coded image is what phones write as .heic; the brand list lives in
      // metadata-extractor (heic, heix, hevc, heim, heis, hevm, mif1, msf1).
      case Heif -> ImageFormat.HEIC;
      case Unknown -> throw new ImageRejected(Reason.UNSUPPORTED_FORMAT,
          "unsupported format: not a recognised image (starts with " + leadingHex(encoded) + ")");
      default -> throw new ImageRejected(Reason.UNSUPPORTED_FORMAT,
          "unsupported format: " + type.getName());
    };
  }

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  static String leadingHex(byte[] encoded) {
    int n = Math.min(encoded.length, SHOWN_BYTES);
    return HexFormat.ofDelimiter(" ").formatHex(encoded, 0, n);
  }

  /** Dimensions (as displayed) and orientation of an image in one of the formats OpenCV decodes. */
  static ImageInfo read(ImageFormat format, byte[] encoded) throws ImageRejected {
    Metadata metadata;
    try {
      metadata = ImageMetadataReader.readMetadata(
          new ByteArrayInputStream(encoded), encoded.length, fileType(format));
    } catch (ImageProcessingException | IOException | RuntimeException e) {
      throw noDimensions(format);
    }
    int[] size = switch (format) {
      case JPEG -> size(metadata.getFirstDirectoryOfType(JpegDirectory.class),
          JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT);
      case PNG -> pngSize(metadata);
      case BMP -> size(metadata.getFirstDirectoryOfType(BmpHeaderDirectory.class),
          BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT);
      case GIF -> size(metadata.getFirstDirectoryOfType(GifHeaderDirectory.class),
          GifHeaderDirectory.TAG_IMAGE_WIDTH, GifHeaderDirectory.TAG_IMAGE_HEIGHT);
      case TIFF -> size(metadata.getFirstDirectoryOfType(ExifIFD0Directory.class),
          ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT);
      case WEBP -> size(metadata.getFirstDirectoryOfType(WebpDirectory.class),
          WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT);
      case HEIC -> throw new IllegalArgumentException("HEIC is read by a FormatDecoder");
    };
    if (size == null) {
      throw noDimensions(format);
    }
    if (format == ImageFormat.TIFF) {
      ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
      boolean tiled = ifd0.containsTag(ExifIFD0Directory.TAG_TILE_OFFSETS);
      EncodedStructure.checkTiff(encoded,
          unsignedArray(ifd0, tiled ? ExifIFD0Directory.TAG_TILE_OFFSETS : ExifIFD0Directory.TAG_STRIP_OFFSETS),
          unsignedArray(ifd0,
              tiled ? ExifIFD0Directory.TAG_TILE_BYTE_COUNTS : ExifIFD0Directory.TAG_STRIP_BYTE_COUNTS));
    }
    int orientation = orientation(metadata);
    boolean transposed = orientation >= 5;
    return new ImageInfo(format, transposed ? size[1] : size[0], transposed ? size[0] : size[1],
        orientation);
  }

  private static ImageRejected noDimensions(ImageFormat format) {
    return new ImageRejected(Reason.MALFORMED,
        "malformed " + format.wireName() + ": the header does not give the image size");
  }

  private static FileType fileType(ImageFormat format) {
    return switch (format) {
      case JPEG -> FileType.Jpeg;
      case PNG -> FileType.Png;
      case BMP -> FileType.Bmp;
      case GIF -> FileType.Gif;
      case TIFF -> FileType.Tiff;
      case WEBP -> FileType.WebP;
      case HEIC -> FileType.Heif;
    };
  }

  private static int[] pngSize(Metadata metadata) {
    // metadata-extractor makes one PngDirectory per chunk type; the size is in IHDR's.
    for (PngDirectory directory : metadata.getDirectoriesOfType(PngDirectory.class)) {
      int[] size = size(directory, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT);
      if (size != null) {
        return size;
      }
    }
    return null;
  }

  private static int[] size(Directory directory, int widthTag, int heightTag) {
    if (directory == null) {
      return null;
    }
    Long width = directory.getLongObject(widthTag);
    Long height = directory.getLongObject(heightTag);
    if (width == null || height == null) {
      return null;
    }
    // BMP stores a negative height for top-down rows; the size is the magnitude.
    long w = Math.abs(width);
    long h = Math.abs(height);
    if (w < 1 || h < 1 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      return null;
    }
    return new int[] {(int) w, (int) h};
  }

  /**
   * A SHORT or LONG array tag as unsigned values; metadata-extractor stores one value as a bare
   * number and several as an array of the narrowest Java type.
   */
  private static long[] unsignedArray(Directory directory, int tag) {
    return switch (directory.getObject(tag)) {
      case Integer v -> new long[] {v & 0xffffffffL};
      case Long v -> new long[] {v};
      case Short v -> new long[] {v & 0xffff};
      case int[] v -> Arrays.stream(v).mapToLong(x -> x & 0xffffffffL).toArray();
      case long[] v -> v;
      case short[] v -> IntStream.range(0, v.length).mapToLong(i -> v[i] & 0xffff).toArray();
      case null, default -> null;
    };
  }

  private static int orientation(Metadata metadata) {
    // The first IFD0 is the main image's; later ones (TIFF pages, thumbnails) are not.
    ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
    Integer value = exif == null ? null : exif.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
    // Out-of-range values (0 is common from some editors) mean "no orientation", as in browsers.
    return value == null || value < 1 || value > 8 ? 1 : value;
  }
}
