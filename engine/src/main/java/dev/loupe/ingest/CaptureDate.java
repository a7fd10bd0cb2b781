package dev.loupe.ingest;

import com.adobe.internal.xmp.XMPConst;
import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.adobe.internal.xmp.properties.XMPProperty;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

/**
 * When a local image file was made, for its first sighting: the camera's EXIF
 * {@code DateTimeOriginal}, else XMP {@code xmp:CreateDate}, else the file's modification time.
 *
 * <p>An EXIF date carries its zone only when the file has {@code OffsetTimeOriginal}; without it the
 * date is read as UTC (a camera's clock zone is not recorded anywhere else). Dates in the future,
 * before 1900 or unreadable are ignored and the next source is used. Metadata comes from
 * metadata-extractor, which Loupe already uses to read image headers.
 */
final class CaptureDate {
  private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

  private CaptureDate() {}

  /** The capture or creation time of {@code file}, or null when even the modification time is unreadable. */
  static Instant of(Path file) {
    Instant embedded = embedded(file);
    if (embedded != null) {
      return embedded;
    }
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return null;
    }
  }

  private static Instant embedded(Path file) {
    Metadata metadata;
    try {
      metadata = ImageMetadataReader.readMetadata(file.toFile());
    } catch (ImageProcessingException | IOException | RuntimeException e) {
      return null; // No readable metadata: the modification time decides.
    }
    for (ExifSubIFDDirectory exif : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
      Instant original = plausible(exif.getDateOriginal(TimeZone.getTimeZone("UTC")));
      if (original != null) {
        return original;
      }
    }
    for (XmpDirectory xmp : metadata.getDirectoriesOfType(XmpDirectory.class)) {
      Instant created = xmpCreateDate(xmp.getXMPMeta());
      if (created != null) {
        return created;
      }
    }
    return null;
  }

  private static Instant xmpCreateDate(XMPMeta meta) {
    try {
      XMPProperty property = meta == null ? null : meta.getProperty(XMPConst.NS_XMP, "CreateDate");
      if (property == null) {
        return null;
      }
      return plausible(meta.getPropertyDate(XMPConst.NS_XMP, "CreateDate").getCalendar().getTime());
    } catch (XMPException | RuntimeException e) {
      return null;
    }
  }

  private static Instant plausible(Date date) {
    if (date == null) {
      return null;
    }
    Instant instant = date.toInstant();
    return instant.isBefore(EARLIEST) || instant.isAfter(Instant.now()) ? null : instant;
  }
}
