package dev.loupe.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchRequest;
import dev.loupe.search.SortOrder;
import dev.loupe.protocol.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the search options of a request body: {@code top_k}, {@code match}, {@code domain}, {@code
 * sort} ({@code relevance}, {@code oldest}, {@code newest}, {@code largest} or {@code most_changed},
 * as {@link SortOrder#fromWireName} reads them). Absent or null fields take the defaults; unknown
 * fields are ignored; a wrong type or an unknown value is 400 {@code invalid_value} with {@code
 * param} naming the field.
 */
final class SearchFields {
  private SearchFields() {}

  static SearchRequest parse(ObjectNode body) {
    SearchRequest request = SearchRequest.defaults();
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull()) {
      if (!topK.isIntegralNumber() || !topK.canConvertToInt()) {
        throw ApiException.invalidValue("top_k", "top_k must be an integer between 1 and "
            + SearchRequest.MAX_TOP_K + ", got: " + topK);
      }
      try {
        request = request.withTopK(topK.intValue());
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidValue("top_k", e.getMessage());
      }
    }
    Set<MatchKind> kinds = new LinkedHashSet<>();
    for (String name : strings(body, "match")) {
      try {
        kinds.add(MatchKind.fromWireName(name));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidValue("match", e.getMessage());
      }
    }
    request = request.withKinds(kinds).withDomains(Set.copyOf(strings(body, "domain")));
    JsonNode sort = body.get("sort");
    if (sort != null && !sort.isNull()) {
      if (!sort.isTextual()) {
        throw ApiException.invalidValue("sort", "sort must be a string, got: " + sort);
      }
      try {
        request = request.withSort(SortOrder.fromWireName(sort.textValue()));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidValue("sort", e.getMessage());
      }
    }
    return request;
  }

  /** A string or an array of strings; an absent or null field is empty. */
  static List<String> strings(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (node.isTextual()) {
      values.add(node.textValue().strip());
      return values;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw ApiException.invalidValue(field, field + " must be a string or an array of strings, got: " + node);
        }
        values.add(item.textValue().strip());
      }
      return values;
    }
    throw ApiException.invalidValue(field, field + " must be a string or an array of strings, got: " + node);
  }

  /** An optional string field; null when absent or null. */
  static String optionalString(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw ApiException.invalidValue(field, field + " must be a string, got: " + node);
    }
    String text = node.textValue().strip();
    return text.isEmpty() ? null : text;
  }
}
