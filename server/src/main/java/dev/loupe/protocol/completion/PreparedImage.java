package dev.loupe.protocol.completion;

import dev.loupe.fetch.FetchException;
import dev.loupe.fetch.ImageFetcher;
import dev.loupe.fetch.RemoteImage;
import dev.loupe.image.DecodedImage;
import dev.loupe.image.ImageFormat;
import dev.loupe.image.ImageInfo;
import dev.loupe.image.ImageLoader;
import dev.loupe.image.ImageRejected;
import dev.loupe.protocol.qwen.ImageTokens;
import dev.loupe.protocol.qwen.PixelBounds;
import dev.loupe.protocol.qwen.ResizedSize;
import dev.loupe.protocol.qwen.SmartResize;
import dev.loupe.protocol.qwen.VisionInput;
import dev.loupe.protocol.ApiException;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * One request image, read and checked before any model sees it (contract 8.3), with the size a
 * Qwen vision model reads it at and what that costs (section 9). Immutable; the bytes are never
 * handed out, only encoded as data URLs.
 */
final class PreparedImage {
  /** JPEG quality of a resized image: visually lossless for a model, a fraction of PNG's size. */
  private static final float JPEG_QUALITY = 0.92f;

  private final ChatImage source;
  private final byte[] bytes;
  private final ImageInfo info;
  private final ResizedSize size;

  private PreparedImage(ChatImage source, byte[] bytes, ImageInfo info, ResizedSize size) {
    this.source = source;
    this.bytes = bytes;
    this.info = info;
    this.size = size;
  }

  /**
   * Reads (a data URL locally, an http(s) URL under the engine's fetch policy), probes and sizes
   * one image.
   *
   * @param factor the route's patch factor, 32 or 28
   * @throws ApiException 400 with the code of contract 8.3 and the part's path in {@code param}
   */
  static PreparedImage read(ChatImage image, ImageFetcher fetcher, ImageLoader loader, int factor,
      boolean highResolution) throws ApiException {
    boolean inline = image.url().regionMatches(true, 0, "data:", 0, 5);
    byte[] bytes;
    ImageInfo info;
    try {
      bytes = fetcher.read(RemoteImage.parse(image.url())).bytes();
      info = loader.probe(bytes);
    } catch (FetchException e) {
      throw ApiException.image(image.param(), e, inline);
    } catch (ImageRejected e) {
      throw ApiException.image(image.param(), e);
    }
    var refused = VisionInput.refusal(info);
    if (refused.isPresent()) {
      throw ApiException.invalid(image.param(), refused.get().code(), refused.get().message());
    }
    ResizedSize size;
    try {
      size = SmartResize.resize(info.width(), info.height(),
          PixelBounds.of(factor, highResolution, image.maxPixels(), image.minPixels()));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(image.param(), "invalid_image", e.getMessage());
    }
    return new PreparedImage(image, bytes, info, size);
  }

  ChatImage source() {
    return source;
  }

  /** The size the model reads the image at. */
  ResizedSize size() {
    return size;
  }

  /** {@code (h'/f)·(w'/f) + 2}. */
  int tokens() {
    return ImageTokens.of(size);
  }

  /** The image as sent, as a data URL: what {@code image_search} searches, at full resolution. */
  String originalDataUrl() {
    return "data:" + mime(info.format()) + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The image at exactly {@link #size()}, as a data URL: PNG stays PNG (lossless for screenshots
   * and text), everything else becomes JPEG. An upstream then reads it at the size Loupe bills, and
   * never downloads anything itself.
   *
   * @throws ApiException 400 {@code image_parse_error} when the pixel data is corrupt
   */
  String resizedDataUrl(ImageLoader loader) throws ApiException {
    DecodedImage decoded;
    try {
      // Decode shrinks with area averaging (never enlarges); the last step to w'×h' is a small one.
      decoded = loader.decode(bytes, Math.min(Math.max(info.width(), info.height()),
          Math.max(size.width(), size.height())));
    } catch (ImageRejected e) {
      throw ApiException.image(source.param(), e);
    }
    BufferedImage pixels = decoded.toBufferedImage();
    BufferedImage target = pixels;
    if (pixels.getWidth() != size.width() || pixels.getHeight() != size.height()) {
      target = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_3BYTE_BGR);
      var g = target.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(pixels, 0, 0, size.width(), size.height(), null);
      } finally {
        g.dispose();
      }
    }
    boolean png = info.format() == ImageFormat.PNG;
    return "data:" + (png ? "image/png" : "image/jpeg") + ";base64,"
        + Base64.getEncoder().encodeToString(encode(target, png));
  }

  /** PNG or JPEG at {@link #JPEG_QUALITY}, in memory. */
  static byte[] encode(BufferedImage image, boolean png) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (png) {
        ImageIO.write(image, "png", out);
        return out.toByteArray();
      }
      ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
      try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(JPEG_QUALITY);
        writer.setOutput(stream);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("encoding to memory", e); // cannot happen
    }
  }

  private static String mime(ImageFormat format) {
    return switch (format) {
      case JPEG -> "image/jpeg";
      case PNG -> "image/png";
      case BMP -> "image/bmp";
      case GIF -> "image/gif";
      case TIFF -> "image/tiff";
      case WEBP -> "image/webp";
      case HEIC -> "image/heic";
    };
  }
}
