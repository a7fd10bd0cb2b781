package dev.loupe.runs;

import dev.loupe.tools.ListedHit;
import java.util.List;
import java.util.Locale;

/** The sentences of {@link FollowUp}'s answers, one phrase table per {@link Language}. */
final class FollowUpWriter {
  private final Language lang;

  FollowUpWriter(Language lang) {
    this.lang = lang;
  }

  /** The oldest (or newest) of the earlier results by first sighting. */
  String bySighting(boolean oldest, int total, ListedHit pick, String date) {
    String where = pick.earliest().where() == null ? "" : pick.earliest().where();
    return switch (lang) {
      case EN -> "Of the " + total + " earlier results, the " + (oldest ? "oldest" : "newest") + " is \"" + pick.title()
          + "\" (result " + pick.index() + "): first seen on " + date + (where.isEmpty() ? "" : " at " + where) + ".";
      case ZH -> "在之前的 " + total + " 个结果中，" + (oldest ? "最早" : "最新") + "的是“" + pick.title() + "”（第 "
          + pick.index() + " 个结果）：首次发现于 " + date + (where.isEmpty() ? "" : "，位置：" + where) + "。";
      case JA -> "前回の " + total + " 件の結果のうち、" + (oldest ? "最も古い" : "最も新しい") + "のは「" + pick.title()
          + "」（" + pick.index() + " 件目）です：" + date + (where.isEmpty() ? "" : " に " + where + " で") + "初めて確認されました。";
    };
  }

  /** None of the earlier results has a date of first sighting. */
  String noDates(int total) {
    return switch (lang) {
      case EN -> "None of the " + total + " earlier results has a recorded first sighting, so I cannot tell which is oldest.";
      case ZH -> "之前的 " + total + " 个结果都没有首次发现的日期，所以无法判断哪个最早。";
      case JA -> "前回の " + total + " 件の結果にはどれも初めて確認された日付がないため、どれが最も古いかはわかりません。";
    };
  }

  /** The question needs a text tower and the server has none. */
  String cannotMatchWords(int total) {
    return switch (lang) {
      case EN -> "I cannot tell which of the " + total + " earlier results match your words: matching pictures to "
          + "words needs an embedding model with a text tower, and this server has none (start it with --model DIR, "
          + "or LOUPE_MODEL=DIR, pointing to a model directory that has textual/model.onnx). Without one I can say "
          + "which of them was seen first or last.";
      case ZH -> "我无法判断之前的 " + total + " 个结果中哪些符合你的描述：按文字匹配图片需要带文本塔的嵌入模型，而本服务器没有"
          + "（请用 --model DIR 或 LOUPE_MODEL=DIR 启动，指向含 textual/model.onnx 的模型目录）。没有它，我可以回答哪个最早或最新被发现。";
      case JA -> "前回の " + total + " 件の結果のどれが言葉に合うかは判断できません：言葉で画像を照合するにはテキストタワーを持つ埋め込み"
          + "モデルが必要ですが、このサーバーにはありません（textual/model.onnx を含むモデルディレクトリを --model DIR または "
          + "LOUPE_MODEL=DIR で指定して起動してください）。それがなくても、どれが最も古いか新しいかは答えられます。";
    };
  }

  /**
   * The hits ranked by how well they match {@code words}; the first {@code best} are named as the
   * matches.
   */
  String matches(String words, int total, List<FollowUp.Ranked> ranked, int best) {
    StringBuilder out = new StringBuilder();
    if (ranked.isEmpty()) {
      return switch (lang) {
        case EN -> "None of the " + total + " earlier results has a stored vector yet, so I cannot match them to \""
            + words + "\" (run loupe reembed to give them one).";
        case ZH -> "之前的 " + total + " 个结果都还没有向量，无法与“" + words + "”匹配（运行 loupe reembed 生成向量）。";
        case JA -> "前回の " + total + " 件の結果にはまだベクトルがないため、「" + words + "」と照合できません（loupe reembed で作成してください）。";
      };
    }
    List<String> names = ranked.subList(0, best).stream().map(r -> r.hit().title()).toList();
    out.append(switch (lang) {
      case EN -> "Of the " + total + " earlier results, " + (best == 1 ? "this one matches" : "these match") + " \""
          + words + "\" best: " + String.join(", ", names) + ".";
      case ZH -> "在之前的 " + total + " 个结果中，最符合“" + words + "”的是：" + String.join("、", names) + "。";
      case JA -> "前回の " + total + " 件の結果のうち、「" + words + "」に最も合うのは：" + String.join("、", names) + "。";
    }).append('\n');
    if (ranked.size() < total) {
      int missing = total - ranked.size();
      out.append(switch (lang) {
        case EN -> missing + (missing == 1 ? " of them has" : " of them have") + " no stored vector yet (run loupe "
            + "reembed) and " + (missing == 1 ? "is" : "are") + " left out.";
        case ZH -> "其中 " + missing + " 个还没有向量（运行 loupe reembed），未参与排序。";
        case JA -> "そのうち " + missing + " 件はまだベクトルがないため（loupe reembed を実行してください）、除外しました。";
      }).append('\n');
    }
    out.append(switch (lang) {
      case EN -> "All of them by similarity to your words:";
      case ZH -> "按与你的描述的相似度排序：";
      case JA -> "言葉との類似度の順：";
    }).append('\n');
    for (FollowUp.Ranked r : ranked) {
      out.append(r.hit().index()).append(". [").append(r.hit().title()).append("](").append(r.hit().url()).append(") (")
          .append(String.format(Locale.ROOT, "%.2f", r.cosine())).append(")\n");
    }
    return out.toString().strip();
  }
}
