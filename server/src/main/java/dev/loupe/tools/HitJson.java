package dev.loupe.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.search.Differences;
import dev.loupe.search.SearchHit;
import java.time.Instant;

/**
 * The JSON form of a search hit, as the {@code image_search} tool returns it: {@code index},
 * {@code title}, {@code url} first (models read them first), then {@code id}, {@code page_url},
 * {@code score}, {@code match}, {@code first_seen}, {@code width}, {@code height}, then the
 * provenance: {@code last_seen} (the latest sighting anywhere), {@code occurrences} (how many places
 * the image was seen), {@code other_occurrences} (up to {@link #OTHER_OCCURRENCES_LISTED} of the
 * other places, oldest first; absent when there are none) and {@code differences} (how the hit
 * differs from the query, when geometric verification showed it; absent otherwise). Callers append
 * their own fields after these (the server its {@code thumbnail_url}, the command line the source).
 * Thread-safe.
 */
public final class HitJson {
  /** A shared mapper for building nodes; configured once, never mutated. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** How many of the other places an image was seen are listed per hit (each costs a model tokens). */
  public static final int OTHER_OCCURRENCES_LISTED = 5;

  private HitJson() {}

  /**
   * The common fields of {@code hit}.
   *
   * @param url the {@code url} to show: the hit's own URL, or a link that serves a local file
   */
  public static ObjectNode fields(SearchHit hit, String url) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("index", hit.index());
    o.put("title", hit.title());
    o.put("url", url);
    o.put("id", hit.id());
    o.put("page_url", hit.pageUrl());
    // Three decimals: finer differences mean nothing to a reader and cost a model tokens.
    o.put("score", round(hit.score(), 1000));
    o.put("match", hit.match().wireName());
    o.put("first_seen", hit.firstSeen() == null ? null : hit.firstSeen().toString());
    o.put("width", hit.width());
    o.put("height", hit.height());
    if (hit.image() != null) {
      provenance(o, hit.image(), hit.source());
    }
    if (hit.differences() != null) {
      o.set("differences", differences(hit.differences()));
    }
    return o;
  }

  /**
   * {@code last_seen}, {@code occurrences} and {@code other_occurrences}. Only an occurrence's title,
   * image URL, page and first sighting are listed, never its source: the server's file paths stay
   * private, so a local file's {@code url} is null.
   */
  private static void provenance(ObjectNode o, IndexedImage image, String shownSource) {
    Instant lastSeen = image.occurrences().stream().map(Occurrence::lastSeen).max(Instant::compareTo).orElseThrow();
    o.put("last_seen", lastSeen.toString());
    o.put("occurrences", image.occurrences().size());
    ArrayNode others = null;
    for (Occurrence occurrence : image.occurrences()) {
      if (occurrence.source().equals(shownSource)) {
        continue;
      }
      if (others == null) {
        others = o.putArray("other_occurrences");
      }
      if (others.size() == OTHER_OCCURRENCES_LISTED) {
        break;
      }
      others.addObject()
          .put("title", occurrence.title())
          .put("url", occurrence.url())
          .put("page_url", occurrence.pageUrl())
          .put("first_seen", occurrence.firstSeen().toString());
    }
  }

  /**
   * The {@code differences} object: the flags and measures of {@code d}, rounded for reading
   * (coverages and scale to two decimals, rotation to one), the {@code region} of the query the hit
   * occupies when it shows only part of the query ({@code {x, y, width, height}} in query pixels;
   * {@code query_coverage} is its share), and its English {@code changes}.
   */
  public static ObjectNode differences(Differences d) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("cropped", d.cropped());
    o.put("hit_coverage", round(d.hitCoverage(), 100));
    o.put("query_coverage", round(d.queryCoverage(), 100));
    o.put("extended", d.extended());
    o.put("resized", d.resized());
    o.put("scale", round(d.scale(), 100));
    o.put("rotated", d.rotated());
    o.put("rotation", round(d.rotation(), 10));
    o.put("mirrored", d.mirrored());
    o.put("recoloured", d.recoloured());
    o.put("perspective", d.perspective());
    if (d.region() != null) {
      // Where the hit lies in the query (a collage tile, a picture in a screenshot), in query pixels.
      o.putObject("region").put("x", d.region().x()).put("y", d.region().y())
          .put("width", d.region().width()).put("height", d.region().height());
    }
    ArrayNode changes = o.putArray("changes");
    d.describe().forEach(changes::add);
    return o;
  }

  /** {@code value} rounded to a multiple of 1/{@code per}; never -0.0. */
  private static double round(double value, int per) {
    return Math.round(value * per) / (double) per + 0.0;
  }
}
