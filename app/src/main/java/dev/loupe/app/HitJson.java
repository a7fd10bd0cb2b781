package dev.loupe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.search.SearchHit;
import java.util.List;

/** The command line's JSON for hits: {@code index}, {@code title}, {@code url} first, as the tool returns them. */
final class HitJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private HitJson() {}

  static ArrayNode hits(List<SearchHit> hits) {
    ArrayNode array = MAPPER.createArrayNode();
    hits.forEach(h -> array.add(hit(h)));
    return array;
  }

  static ObjectNode hit(SearchHit h) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("index", h.index());
    o.put("title", h.title());
    o.put("url", h.url());
    o.put("id", h.id());
    o.put("page_url", h.pageUrl());
    o.put("score", h.score());
    o.put("match", h.match().wireName());
    o.put("first_seen", h.firstSeen().toString());
    o.put("width", h.width());
    o.put("height", h.height());
    o.put("source", h.source());
    o.put("occurrences", h.image().occurrences().size());
    return o;
  }
}
