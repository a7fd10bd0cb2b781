package dev.loupe.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.search.SearchHit;

/**
 * The JSON form of a search hit, as the {@code image_search} tool returns it: {@code index},
 * {@code title}, {@code url} first (models read them first), then {@code id}, {@code page_url},
 * {@code score}, {@code match}, {@code first_seen}, {@code width}, {@code height}. Callers append
 * their own fields after these (the server its {@code thumbnail_url}, the command line the source).
 * Thread-safe.
 */
public final class HitJson {
  /** A shared mapper for building nodes; configured once, never mutated. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

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
    o.put("score", Math.round(hit.score() * 1000) / 1000.0);
    o.put("match", hit.match().wireName());
    o.put("first_seen", hit.firstSeen() == null ? null : hit.firstSeen().toString());
    o.put("width", hit.width());
    o.put("height", hit.height());
    return o;
  }
}
