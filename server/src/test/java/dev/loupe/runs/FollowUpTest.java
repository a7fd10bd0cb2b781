package dev.loupe.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.tools.HitJson;
import dev.loupe.tools.ImageSearchResult;
import dev.loupe.tools.ListedHit;
import dev.loupe.tools.TestHits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Follow-up answers from an earlier search's output, and the summary's shared words. */
class FollowUpTest {
  /** The tool's output for the provenance hits of {@link BuiltinModelTest#provenanceResult()}. */
  private static String output(ImageSearchResult result) {
    ArrayNode list = HitJson.MAPPER.createArrayNode();
    for (int i = 0; i < result.hits().size(); i++) {
      list.add(HitJson.fields(result.hits().get(i), result.urls().get(i)));
    }
    return list.toString();
  }

  private static RunRequest followUp(String earlierOutput, String question) {
    return new RunRequest("builtin", null,
        List.of(new Message(Role.USER, List.of(new TextPart("find this"), new ImagePart("https://q.example/a.jpg", "auto"))),
            new ImageSearchCall("isc_1", earlierOutput),
            new Message(Role.ASSISTANT, List.of(new TextPart("I searched …")))),
        List.of(new Message(Role.USER, List.of(new TextPart(question)))), true, ToolChoice.AUTO, null, null);
  }

  @Test
  void theOldestInEachLanguage() throws Exception {
    List<ListedHit> hits = FollowUp.earlierHits(followUp(output(BuiltinModelTest.provenanceResult()), "?"));
    assertEquals(4, hits.size());
    assertEquals("Of the 4 earlier results, the oldest is \"Quiet bay\" (result 4): first seen on 2010-01-01 at "
        + "https://gallery.example/bay.jpg.", new FollowUp(Language.EN).answer("Which one is the oldest?", hits, null));
    assertEquals("在之前的 4 个结果中，最早的是“Quiet bay”（第 4 个结果）：首次发现于 2010-01-01，位置：https://gallery.example/bay.jpg。",
        new FollowUp(Language.ZH).answer("哪一张最早？", hits, null));
    assertEquals("前回の 4 件の結果のうち、最も古いのは「Quiet bay」（4 件目）です：2010-01-01 に https://gallery.example/bay.jpg "
        + "で初めて確認されました。", new FollowUp(Language.JA).answer("どれが一番古いですか？", hits, null));
    assertEquals("Of the 4 earlier results, the newest is \"Harbour, flipped for a header\" (result 3): first seen on "
        + "2023-08-20 at https://blog.example/post/12.", new FollowUp(Language.EN).answer("and the newest?", hits, null));
  }

  @Test
  void anOlderOtherOccurrenceCountsAndItsPlaceIsNamed() throws Exception {
    String output = """
        [{"index":1,"title":"Tram","url":"https://a.example/tram.jpg","id":"x1","page_url":"https://a.example/p",
          "first_seen":"2020-05-05T00:00:00Z",
          "other_occurrences":[{"title":"Old tram","url":null,"page_url":"https://b.example/p","first_seen":"2011-01-02T00:00:00Z"}]},
         {"index":2,"title":"Bus","url":"https://a.example/bus.jpg","id":"x2","page_url":null,"first_seen":"2012-01-01T00:00:00Z"},
         {"index":3,"title":"Undated","url":"https://a.example/u.jpg","id":"x3","first_seen":"not a date"}]""";
    List<ListedHit> hits = FollowUp.earlierHits(followUp(output, "?"));
    assertEquals("Of the 3 earlier results, the oldest is \"Tram\" (result 1): first seen on 2011-01-02 at "
        + "https://b.example/p.", new FollowUp(Language.EN).answer("which is the earliest?", hits, null));
  }

  @Test
  void anOutputThatIsNotAListIsNoEarlierSearch() {
    assertEquals(List.of(), FollowUp.earlierHits(followUp("{\"error\": 1}", "?")));
    assertEquals(List.of(), FollowUp.earlierHits(followUp("not json", "?")));
    assertEquals("image_search output must be a JSON list",
        assertThrows(IllegalArgumentException.class, () -> ListedHit.parse("{}")).getMessage());
  }

  @Test
  void theSubjectOfAnEnglishQuestion() {
    assertEquals("red", FollowUp.subject("which are red?"));
    assertEquals("landscapes", FollowUp.subject("Which of those are landscapes?"));
    assertEquals("a beach", FollowUp.subject("which ones look like a beach?"));
    assertEquals("stone bridges", FollowUp.subject("stone bridges"));
    assertEquals("哪些是红色的", FollowUp.subject("哪些是红色的？"));
  }

  @Test
  void theBestGroupEndsAtTheWidestGap() {
    ListedHit h = new ListedHit(1, "t", "u", "id", null);
    List<FollowUp.Ranked> ranked = new ArrayList<>();
    for (double c : new double[] {0.31, 0.30, 0.27, 0.15, 0.12}) {
      ranked.add(new FollowUp.Ranked(h, c));
    }
    assertEquals(3, FollowUp.bestGroup(ranked));
    assertEquals(1, FollowUp.bestGroup(ranked.subList(0, 1)));
    assertEquals(0, FollowUp.bestGroup(List.of()));
  }

  /** Hits 6 to 8 share "tram"; only hits 1 and 3 share "harbour". */
  @Test
  void sharedWordsComeFromTheListedHitsOnly() {
    String[] titles = {"Harbour at dawn", "Quiet bay", "Harbour wall", "Lighthouse", "Pier", "Tram stop", "Old tram",
        "Tram depot"};
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 0; i < titles.length; i++) {
      hits.add(TestHits.hit(i + 1, MatchKind.SIMILAR, 0.7 - i * 0.01, 640, 480, null,
          TestHits.seen("https://x.example/" + i + ".jpg", null, titles[i], "2020-01-0" + (i + 1))));
    }
    String text = new SummaryWriter(Language.EN).results(1, List.of(new ImageSearchResult(hits, TestHits.urls(hits), "[]")));
    assertEquals("Words the titles share: harbour.", text.lines().toList().getLast());
    assertEquals(List.of("tram", "harbour"), SummaryWriter.sharedWords(hits));
  }
}
