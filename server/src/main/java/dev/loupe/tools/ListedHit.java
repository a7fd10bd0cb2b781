package dev.loupe.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One hit as an earlier {@code image_search} call listed it, read back from that call's output (the
 * JSON list {@link HitJson} writes), so that a later turn can answer questions about it.
 *
 * @param index its place in the earlier list, from 1
 * @param title its title, or null
 * @param url the URL the list showed
 * @param id the image's id, or null when the output did not carry one
 * @param earliest the earliest sighting the list showed for it (its own or one of {@code
 *     other_occurrences}), or null when none had a date
 */
public record ListedHit(int index, String title, String url, String id, Sighting earliest) {
  /** Where and when an image was seen: the sighting's title, its page (else its URL) and date. */
  public record Sighting(String title, String where, Instant firstSeen) {}

  /**
   * Reads an {@code image_search} output. Fields Loupe did not write are ignored; a hit's dates that
   * do not parse are treated as absent.
   *
   * @throws IllegalArgumentException if {@code output} is not a JSON list
   */
  public static List<ListedHit> parse(String output) {
    JsonNode list;
    try {
      list = HitJson.MAPPER.readTree(output);
    } catch (IOException e) {
      throw new IllegalArgumentException("image_search output is not JSON: " + e.getMessage(), e);
    }
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("image_search output must be a JSON list");
    }
    List<ListedHit> hits = new ArrayList<>(list.size());
    for (JsonNode hit : list) {
      String title = text(hit, "title");
      String url = text(hit, "url");
      Sighting earliest = sighting(title, text(hit, "page_url") != null ? text(hit, "page_url") : url, hit);
      for (JsonNode other : hit.path("other_occurrences")) {
        String where = text(other, "page_url") != null ? text(other, "page_url")
            : text(other, "url") != null ? text(other, "url") : url;
        Sighting s = sighting(text(other, "title") != null ? text(other, "title") : title, where, other);
        if (s != null && (earliest == null || s.firstSeen().isBefore(earliest.firstSeen()))) {
          earliest = s;
        }
      }
      hits.add(new ListedHit(hit.path("index").asInt(hits.size() + 1), title, url, text(hit, "id"), earliest));
    }
    return hits;
  }

  private static Sighting sighting(String title, String where, JsonNode node) {
    String date = text(node, "first_seen");
    if (date == null) {
      return null;
    }
    try {
      return new Sighting(title, where, Instant.parse(date));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
