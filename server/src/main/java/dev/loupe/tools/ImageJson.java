package dev.loupe.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.index.ImagePage;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import java.util.function.Function;

/**
 * An indexed image as {@code GET /v1/images/{id}} and {@code GET /v1/images} show it: {@code id},
 * {@code object}, {@code format}, {@code width}, {@code height}, {@code first_seen},
 * {@code thumbnail_url} and every occurrence ({@code title}, {@code url}, {@code page_url},
 * {@code first_seen}, {@code last_seen}). Over HTTP a local file's path stays private: its
 * {@code url} is the image's content link. The command line, run by the owner of the files, shows
 * the same fields without links and with each occurrence's {@code source} ({@link #local}).
 */
public final class ImageJson {
  private ImageJson() {}

  /** The image as the server shows it, with links under {@code base}. */
  public static ObjectNode image(IndexedImage image, String base) {
    return image(image, base, false);
  }

  /** The image as the command line shows it: no links, every occurrence's {@code source}. */
  public static ObjectNode local(IndexedImage image) {
    return image(image, null, true);
  }

  /** {@code {"object": "list", "data": [...], "total", "offset", "next_offset"}}. */
  public static ObjectNode page(ImagePage page, Function<IndexedImage, ObjectNode> image) {
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    page.images().forEach(i -> data.add(image.apply(i)));
    body.put("total", page.total());
    body.put("offset", page.offset());
    if (page.nextOffset() < 0) {
      body.putNull("next_offset");
    } else {
      body.put("next_offset", page.nextOffset());
    }
    return body;
  }

  private static ObjectNode image(IndexedImage image, String base, boolean withSource) {
    ObjectNode body = HitJson.MAPPER.createObjectNode();
    body.put("id", image.id());
    body.put("object", "image");
    body.put("format", image.format());
    body.put("width", image.width());
    body.put("height", image.height());
    body.put("first_seen", image.firstSeen().toString());
    if (base != null) {
      body.put("thumbnail_url", base + "/v1/images/" + image.id() + "/thumbnail");
    }
    ArrayNode occurrences = body.putArray("occurrences");
    for (Occurrence occurrence : image.occurrences()) {
      ObjectNode o = occurrences.addObject();
      o.put("title", occurrence.title());
      String url = occurrence.url();
      if (url == null && base != null && LocalSource.path(occurrence.source()).isPresent()) {
        url = base + "/v1/images/" + image.id() + "/content";
      }
      o.put("url", url);
      o.put("page_url", occurrence.pageUrl());
      o.put("first_seen", occurrence.firstSeen().toString());
      o.put("last_seen", occurrence.lastSeen().toString());
      if (withSource) {
        o.put("source", occurrence.source());
      }
    }
    return body;
  }
}
