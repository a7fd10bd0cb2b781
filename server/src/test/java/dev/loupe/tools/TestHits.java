package dev.loupe.tools;

import dev.loupe.testing.TestSeed;
import dev.loupe.index.IndexedImage;
import dev.loupe.index.Occurrence;
import dev.loupe.index.TestSignatures;
import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import java.time.Instant;
import java.util.List;

/** Search hits built by hand, with their images and occurrences, for tests of what is said about them. */
public final class TestHits {
  private static final TestSignatures SIGNATURES = new TestSignatures(TestSeed.value());

  private TestHits() {}

  /** An occurrence first seen on {@code firstSeen} (an ISO date) and last seen on {@code lastSeen}. */
  public static Occurrence seen(String url, String pageUrl, String title, String firstSeen, String lastSeen) {
    String source = url != null ? url : "/collection/" + title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + ".jpg";
    return new Occurrence(source, url, pageUrl, title, day(firstSeen), day(lastSeen));
  }

  /** An occurrence seen once. */
  public static Occurrence seen(String url, String pageUrl, String title, String date) {
    return seen(url, pageUrl, title, date, date);
  }

  /**
   * A hit showing its earliest occurrence, as the searcher does without a domain filter.
   *
   * @param differences how it differs from the query, or null when not verified
   */
  public static SearchHit hit(int index, MatchKind match, double score, int width, int height, Differences differences,
      Occurrence... occurrences) {
    IndexedImage image = new IndexedImage("img" + index, SIGNATURES.randomSignature(), "jpeg", width, height,
        List.of(occurrences));
    Occurrence shown = image.earliest();
    return new SearchHit(index, image.id(), shown.title(), shown.url(), shown.pageUrl(), score, match,
        image.firstSeen(), width, height, shown.source(), 0, image, differences);
  }

  /** The links the tool shows: the hit's URL, else a content link. */
  public static List<String> urls(List<SearchHit> hits) {
    return hits.stream().map(h -> h.url() != null ? h.url() : "http://loupe.test/v1/images/" + h.id() + "/content")
        .toList();
  }

  private static Instant day(String date) {
    return Instant.parse(date + "T12:00:00Z");
  }
}
