package dev.loupe.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.tools.ImageSearchResult;
import dev.loupe.tools.TestHits;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinModelTest {
  @Test
  void languageFollowsTheScript() {
    assertEquals(Language.ZH, Language.detect("找一下这张图片"));
    assertEquals(Language.JA, Language.detect("この画像を探して"));
    assertEquals(Language.JA, Language.detect("画像を検索"), "kanji with kana is Japanese");
    assertEquals(Language.EN, Language.detect("Find this picture"));
    assertEquals(Language.EN, Language.detect(""));
  }

  /**
   * Three copies and one look-alike: the exact copy is shown first, the earliest sighting is an
   * older site of the near-duplicate, and the similar image, older still, is no copy at all.
   */
  static ImageSearchResult provenanceResult() {
    List<SearchHit> hits = List.of(
        TestHits.hit(1, MatchKind.EXACT, 1.0, 640, 480, null,
            TestHits.seen("https://news.example/harbour.jpg", "https://news.example/2021/harbour", "Harbour at dawn",
                "2021-05-01")),
        TestHits.hit(2, MatchKind.NEAR_DUPLICATE, 0.93, 1280, 960, new Differences(1, 1, 2.0, 0, false, false, false),
            TestHits.seen("https://archive.example/harbour-full.jpg", "https://archive.example/photos/harbour",
                "Harbour, archive scan", "2019-03-10", "2024-01-01"),
            TestHits.seen("https://cdn.example/h.jpg", null, "Harbour on a CDN", "2022-01-01")),
        TestHits.hit(3, MatchKind.PARTIAL, 0.85, 480, 360, new Differences(0.42, 1, 0.75, 0, true, false, false),
            TestHits.seen("https://blog.example/harbour-flipped.jpg", "https://blog.example/post/12",
                "Harbour, flipped for a header", "2023-08-20")),
        TestHits.hit(4, MatchKind.SIMILAR, 0.61, 2000, 1500, null,
            TestHits.seen("https://gallery.example/bay.jpg", null, "Quiet bay", "2010-01-01")));
    return new ImageSearchResult(hits, TestHits.urls(hits), "[]");
  }

  @Test
  void summaryNamesTheEarliestSightingTheLargestVersionAndHowCopiesDiffer() {
    assertEquals("""
        I searched the collection with your image and found 4 results.
        3 of them are copies of your image (1 exact, 1 near-duplicate, 1 partial).
        The earliest sighting is "Harbour, archive scan", first seen on 2019-03-10 at https://archive.example/photos/harbour.
        The largest version is "Harbour, archive scan" (1280×960): https://archive.example/harbour-full.jpg.
        How the copies differ from your image: cropping (1), mirroring (1), resizing (2).
        Top matches:
        1. [Harbour at dawn](https://news.example/harbour.jpg) (exact, 1.00)
        2. [Harbour, archive scan](https://archive.example/harbour-full.jpg) (near-duplicate, 0.93)
        3. [Harbour, flipped for a header](https://blog.example/harbour-flipped.jpg) (partial, 0.85)
        4. [Quiet bay](https://gallery.example/bay.jpg) (similar, 0.61)
        Words the titles share: harbour.""", new SummaryWriter(Language.EN).results(1, List.of(provenanceResult())));
  }

  @Test
  void summaryInChinese() {
    assertEquals("""
        我用你的图片在图库中搜索，共找到 4 个结果。
        其中 3 个是你这张图片的副本（1 完全相同，1 近似副本，1 局部匹配）。
        最早的出现是“Harbour, archive scan”，首次发现于 2019-03-10，位置：https://archive.example/photos/harbour。
        最大的版本是“Harbour, archive scan”（1280×960）：https://archive.example/harbour-full.jpg。
        这些副本与你的图片的差异：裁剪（1 个）、镜像（1 个）、缩放（2 个）。
        最相关的结果：
        1. [Harbour at dawn](https://news.example/harbour.jpg) (完全相同, 1.00)
        2. [Harbour, archive scan](https://archive.example/harbour-full.jpg) (近似副本, 0.93)
        3. [Harbour, flipped for a header](https://blog.example/harbour-flipped.jpg) (局部匹配, 0.85)
        4. [Quiet bay](https://gallery.example/bay.jpg) (相似, 0.61)
        标题中的共同词语：harbour。""", new SummaryWriter(Language.ZH).results(1, List.of(provenanceResult())));
  }

  @Test
  void summaryInJapanese() {
    assertEquals("""
        画像でコレクションを検索し、4 件の結果が見つかりました。
        そのうち 3 件はこの画像のコピーです（1 完全一致，1 ほぼ同一，1 部分一致）。
        最も早い出現は「Harbour, archive scan」で、2019-03-10 に https://archive.example/photos/harbour で初めて確認されました。
        最大のバージョンは「Harbour, archive scan」（1280×960）：https://archive.example/harbour-full.jpg。
        コピーとこの画像の違い：トリミング（1 件）、反転（1 件）、拡大・縮小（2 件）。
        上位の結果：
        1. [Harbour at dawn](https://news.example/harbour.jpg) (完全一致, 1.00)
        2. [Harbour, archive scan](https://archive.example/harbour-full.jpg) (ほぼ同一, 0.93)
        3. [Harbour, flipped for a header](https://blog.example/harbour-flipped.jpg) (部分一致, 0.85)
        4. [Quiet bay](https://gallery.example/bay.jpg) (類似, 0.61)
        タイトルに共通する語：harbour。""", new SummaryWriter(Language.JA).results(1, List.of(provenanceResult())));
  }

  @Test
  void oneCopyWithoutDifferencesGetsNoLargestOrChangesLine() {
    List<SearchHit> hits = List.of(TestHits.hit(1, MatchKind.NEAR_DUPLICATE, 0.9, 800, 600, null,
        TestHits.seen(null, null, "Scanned print", "2020-02-02")));
    String text = new SummaryWriter(Language.EN).results(1, List.of(new ImageSearchResult(hits, TestHits.urls(hits), "[]")));
    assertEquals("""
        I searched the collection with your image and found 1 result.
        1 of them is a copy of your image (1 near-duplicate).
        The earliest sighting is "Scanned print", first seen on 2020-02-02 at http://loupe.test/v1/images/img1/content.
        Top matches:
        1. [Scanned print](http://loupe.test/v1/images/img1/content) (near-duplicate, 0.90)""", text);
  }

  @Test
  void piecesConcatenateToTheTextAndKeepSurrogatePairs() {
    String text = "I searched the collection with your image and found 4 results.\n🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂";
    List<String> pieces = BuiltinModel.pieces(text);
    assertEquals(text, String.join("", pieces));
    assertTrue(pieces.size() > 2);
    for (String p : pieces) {
      assertTrue(!Character.isHighSurrogate(p.charAt(p.length() - 1)), p);
    }
  }

  @Test
  void truncationFitsTheBudget() {
    String text = "One two three four five six seven eight nine ten.";
    String cut = TokenCounter.truncate(text, 3);
    assertTrue(text.startsWith(cut));
    assertEquals(3, TokenCounter.count(cut));
    assertEquals(text, TokenCounter.truncate(text, 1000));
  }

  @Test
  void lifecycleWrapsTheBackendAndFailuresEndTheStream() {
    List<RunEvent> events = new java.util.ArrayList<>();
    ModelBackend broken = TestBackends.searchOnly((request, context) -> {
      context.emit(new RunEvent.Completed());
      return Finish.COMPLETED;
    });
    ResponseRun.execute(broken, new RunRequest("m", null, List.of(), List.of(), false, ToolChoice.AUTO, null, null),
        null, events::add);
    assertEquals(List.of(new RunEvent.Created(), new RunEvent.InProgress(), new RunEvent.Failed(
        FailureKind.INTERNAL, "server_error", "The server had an error while processing the response.")), events,
        "an internal fault ends the turn without echoing its exception's message");
  }
}
