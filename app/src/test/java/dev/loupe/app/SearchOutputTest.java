package dev.loupe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code loupe search} prints hits that carry verified differences, as a table and as JSON. */
class SearchOutputTest {
  private static final Instant SEEN = Instant.parse("2020-01-02T03:04:05Z");
  private static final Differences CROPPED_MIRRORED = new Differences(0.42, 1, 0.5, -12.3, true, false, false);

  private static SearchHit hit(int index, MatchKind match, double score, String title, Differences differences) {
    return new SearchHit(index, "id" + index, title, "https://img.example/" + index + ".jpg", null, score, match, SEEN,
        800, 600, "https://img.example/" + index + ".jpg", 0, null, differences);
  }

  private static String table(List<SearchHit> hits) {
    StringWriter text = new StringWriter();
    SearchCommand.printTable(new PrintWriter(text, true), hits);
    return text.toString();
  }

  @Test
  void copiesShowAShortChangesColumn() {
    assertEquals("""
        #   match           score  size       changes                              title / source
        1   exact           1.000  800x600    none                                 Same
                                                                                   https://img.example/1.jpg
        2   partial         0.900  800x600    crop 42%, rot 12° ccw, mirror, x0.50 Part
                                                                                   https://img.example/2.jpg
        3   similar         0.500  800x600                                         Alike
                                                                                   https://img.example/3.jpg
        """, table(List.of(
        hit(1, MatchKind.EXACT, 1, "Same", new Differences(1, 1, 1, 0, false, false, false)),
        hit(2, MatchKind.PARTIAL, 0.9, "Part", CROPPED_MIRRORED),
        hit(3, MatchKind.SIMILAR, 0.5, "Alike", null))));
  }

  @Test
  void withoutDifferencesTheTableKeepsItsColumns() {
    assertEquals("""
        #   match           score  size       title / source
        1   near_duplicate  0.950  800x600    Copy
                                              https://img.example/1.jpg
        """, table(List.of(hit(1, MatchKind.NEAR_DUPLICATE, 0.95, "Copy", null))));
  }

  @Test
  void longChangesAreCut() {
    Differences everything = new Differences(0.3, 0.5, 3, 90, true, true, true);
    assertEquals("crop 30%, fills 50%, rot 90° cw, mirror, perspective, x3.00, recolour",
        SearchCommand.shortChanges(everything));
    String row = table(List.of(hit(1, MatchKind.NEAR_DUPLICATE, 0.8, "Edited", everything))).lines().toList().get(1);
    assertEquals("1   near_duplicate  0.800  800x600    crop 30%, fills 50%, rot 90° cw, mirror… Edited", row);
  }

  @Test
  void jsonCarriesTheServersDifferencesObject() {
    JsonNode hit = HitJson.hit(hit(1, MatchKind.PARTIAL, 0.9, "Part", CROPPED_MIRRORED));
    assertEquals(dev.loupe.tools.HitJson.differences(CROPPED_MIRRORED), hit.get("differences"));
    assertEquals("[\"cropped to 42% of the image\",\"rotated 12° counterclockwise\",\"mirrored\","
        + "\"resized (the image is 0.50x the query's size)\"]", hit.get("differences").get("changes").toString());
    assertEquals("https://img.example/1.jpg", hit.get("source").asText());
  }
}
