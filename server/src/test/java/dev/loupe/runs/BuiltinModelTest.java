package dev.loupe.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    ModelBackend broken = (request, context) -> {
      context.emit(new RunEvent.Completed());
      return Finish.COMPLETED;
    };
    ResponseRun.execute(broken, new RunRequest("m", null, List.of(), List.of(), false, ToolChoice.AUTO, null, null),
        null, events::add);
    assertEquals(List.of(new RunEvent.Created(), new RunEvent.InProgress(), new RunEvent.Failed("server_error",
        "backends must not emit lifecycle events, got: Completed[]")), events);
  }
}
