package dev.loupe.protocol.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loupe.tools.HitJson;
import java.util.Map;

/** The JSON schemas of the tools' inputs and outputs (draft 2020-12, as MCP 2025-06-18 uses). */
final class Schemas {
  private Schemas() {}

  private static final String IMAGE = """
      {"type": "string", "minLength": 1,
       "description": "The image: an http(s) URL, a data:image/...;base64 URL, or base64 text"}""";
  private static final String TOP_K = """
      {"type": "integer", "minimum": 1, "maximum": 100, "default": 10, "description": "Most results"}""";
  private static final String KINDS = """
      {"type": "array", "minItems": 1, "items": {"type": "string",
       "enum": ["exact", "near_duplicate", "partial", "similar"]},
       "description": "Only these match kinds (default: all)"}""";
  private static final String SORT = """
      {"type": "string", "enum": ["relevance", "oldest", "newest", "largest", "most_changed"],
       "description": "Order of the results (default: relevance)"}""";
  private static final String OCCURRENCE = """
      {"type": "object", "properties": {"title": {"type": ["string", "null"]}, "url": {"type": ["string", "null"]},
       "page_url": {"type": ["string", "null"]}, "first_seen": {"type": "string"}, "last_seen": {"type": "string"}}}""";

  static final Map<String, Object> IMAGE_SEARCH_INPUT = parse("""
      {"type": "object", "properties": {"image": %s,
        "text": {"type": "string", "description": "Words that steer the similar images (with a text-capable model)"},
        "top_k": %s, "kinds": %s, "sort": %s},
       "required": ["image"], "additionalProperties": false}""".formatted(IMAGE, TOP_K, KINDS, SORT));

  static final Map<String, Object> TEXT_SEARCH_INPUT = parse("""
      {"type": "object", "properties": {"text": {"type": "string", "minLength": 1, "description": "What to look for"},
        "top_k": %s, "kinds": %s, "sort": %s},
       "required": ["text"], "additionalProperties": false}""".formatted(TOP_K, KINDS, SORT));

  static final Map<String, Object> ID_INPUT = parse("""
      {"type": "object", "properties": {"id": {"type": "string", "minLength": 1, "description": "An image id, as hits give it"}},
       "required": ["id"], "additionalProperties": false}""");

  static final Map<String, Object> ADD_INPUT = parse("""
      {"type": "object", "properties": {"image": %s,
        "title": {"type": "string", "description": "The image's title"},
        "page_url": {"type": "string", "description": "The http(s) page the image was seen on"}},
       "required": ["image"], "additionalProperties": false}""".formatted(IMAGE));

  static final Map<String, Object> NO_INPUT = parse("""
      {"type": "object", "properties": {}, "additionalProperties": false}""");

  static final Map<String, Object> RESULTS_OUTPUT = parse("""
      {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
        "type": "object", "required": ["index", "title", "url", "id", "score", "match"],
        "properties": {"index": {"type": "integer"}, "title": {"type": ["string", "null"]},
         "url": {"type": ["string", "null"]}, "id": {"type": "string"}, "page_url": {"type": ["string", "null"]},
         "score": {"type": "number"},
         "match": {"type": "string", "enum": ["exact", "near_duplicate", "partial", "similar"]},
         "first_seen": {"type": ["string", "null"]}, "width": {"type": "integer"}, "height": {"type": "integer"},
         "last_seen": {"type": "string"}, "occurrences": {"type": "integer"},
         "other_occurrences": {"type": "array"}, "differences": {"type": "object"}}}}}}""");

  static final Map<String, Object> IMAGE_OUTPUT = parse("""
      {"type": "object", "required": ["id", "format", "width", "height", "occurrences"],
       "properties": {"id": {"type": "string"}, "object": {"type": "string"}, "format": {"type": "string"},
        "width": {"type": "integer"}, "height": {"type": "integer"}, "first_seen": {"type": "string"},
        "thumbnail_url": {"type": "string"}, "occurrences": {"type": "array", "items": %s}}}""".formatted(OCCURRENCE));

  static final Map<String, Object> ADD_OUTPUT = parse("""
      {"type": "object", "required": ["id", "outcome"], "properties": {"id": {"type": "string"},
       "outcome": {"type": "string", "enum": ["new_image", "new_occurrence", "seen_again"]}}}""");

  static final Map<String, Object> STATS_OUTPUT = parse("""
      {"type": "object", "required": ["images", "occurrences"], "properties": {"object": {"type": "string"},
       "images": {"type": "integer"}, "occurrences": {"type": "integer"}, "bytes_on_disk": {"type": "integer"},
       "segments": {"type": "integer"}, "last_commit": {"type": ["string", "null"]},
       "domains": {"type": "array", "items": {"type": "object", "properties": {"domain": {"type": "string"},
        "images": {"type": "integer"}}}}}}""");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) {
    try {
      return HitJson.MAPPER.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tool schema is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
