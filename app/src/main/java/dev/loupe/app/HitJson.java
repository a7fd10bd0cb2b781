package dev.loupe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.search.SearchHit;
import java.util.List;

/**
 * The command line's JSON for hits: the server's hit fields ({@link dev.loupe.tools.HitJson}: the
 * tool's fields, the provenance and the differences), then {@code source}, which only the local
 * user may see.
 */
final class HitJson {
  static final ObjectMapper MAPPER = dev.loupe.tools.HitJson.MAPPER;

  private HitJson() {}

  static ArrayNode hits(List<SearchHit> hits) {
    ArrayNode array = MAPPER.createArrayNode();
    hits.forEach(h -> array.add(hit(h)));
    return array;
  }

  static ObjectNode hit(SearchHit h) {
    ObjectNode o = dev.loupe.tools.HitJson.fields(h, h.url());
    o.put("source", h.source());
    return o;
  }
}
