package dev.loupe.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SearchSettingsTest {
  @Test
  void similarPoolIsTheCandidatesOrThreeTimesTopKWhicheverIsMore() {
    SearchSettings settings = SearchSettings.defaults().withSimilarCandidates(100);
    assertEquals(100, settings.similarPool(10));
    assertEquals(100, settings.similarPool(33));
    assertEquals(102, settings.similarPool(34));
    assertEquals(150, settings.similarPool(50));
  }

  @Test
  void similarCandidatesBelowOneAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SearchSettings.defaults().withSimilarCandidates(0));
    assertEquals("similarCandidates must be at least 1, got: 0", e.getMessage());
  }
}
