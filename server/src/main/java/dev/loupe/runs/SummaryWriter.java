package dev.loupe.runs;

import dev.loupe.index.Occurrence;
import dev.loupe.search.Differences;
import dev.loupe.search.MatchKind;
import dev.loupe.search.SearchHit;
import dev.loupe.tools.ImageSearchResult;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Writes the builtin model's answer from the search results alone, so every claim in it can be
 * traced to a hit: counts, copies with the earliest sighting, the largest version and how the copies
 * differ, the top matches with links, and the words the titles share. One phrase table per {@link
 * Language}.
 */
final class SummaryWriter {
  /** How many hits are listed by name per search. */
  static final int TOP_LISTED = 5;

  private static final Set<String> STOP_WORDS = Set.of("the", "and", "for", "with", "from", "this", "that",
      "jpg", "jpeg", "png", "webp", "image", "photo", "picture", "img");

  private final Language lang;

  SummaryWriter(Language lang) {
    this.lang = lang;
  }

  /** The answer when the conversation holds no image. */
  String needsImage() {
    return switch (lang) {
      case EN -> "Please send an image (an input_image with an http(s) or data URL) and I will search the "
          + "collection for copies of it and for similar pictures.";
      case ZH -> "请发送一张图片（input_image，使用 http(s) 或 data URL），我会在图库中搜索它的副本和相似图片。";
      case JA -> "画像を送ってください（http(s) または data URL の input_image）。コレクションからその画像のコピーと似た画像を検索します。";
    };
  }

  /** The answer when images came but the tool may not run (not offered, tool_choice none, cap 0). */
  String searchNotAllowed(int images) {
    return switch (lang) {
      case EN -> "I received " + plural(images, "image") + " but did not search, because image_search is not "
          + "enabled for this request (add {\"type\":\"image_search\"} to tools, and do not set tool_choice to "
          + "none or max_tool_calls to 0).";
      case ZH -> "我收到了 " + images + " 张图片，但没有搜索：本次请求未启用 image_search 工具（请在 tools 中加入 "
          + "{\"type\":\"image_search\"}，且不要把 tool_choice 设为 none 或把 max_tool_calls 设为 0）。";
      case JA -> images + " 枚の画像を受け取りましたが、検索していません。このリクエストでは image_search が有効ではありません"
          + "（tools に {\"type\":\"image_search\"} を追加し、tool_choice を none に、max_tool_calls を 0 にしないでください）。";
    };
  }

  /** The answer after searching; {@code images} counts every image, searched or not. */
  String results(int images, List<ImageSearchResult> results) {
    return results(images, results, null);
  }

  /**
   * As {@link #results(int, List)}, saying that {@code steeringWords} (null when the words did not
   * reach the ranking) steered the order of the similar images.
   */
  String results(int images, List<ImageSearchResult> results, String steeringWords) {
    StringBuilder out = new StringBuilder();
    int total = results.stream().mapToInt(r -> r.hits().size()).sum();
    out.append(switch (lang) {
      case EN -> results.size() == 1
          ? "I searched the collection with your image and found " + plural(total, "result") + "."
          : "I searched the collection with " + results.size() + " images and found " + plural(total, "result") + ".";
      case ZH -> "我用" + (results.size() == 1 ? "你的图片" : " " + results.size() + " 张图片") + "在图库中搜索，共找到 "
          + total + " 个结果。";
      case JA -> (results.size() == 1 ? "画像" : results.size() + " 枚の画像") + "でコレクションを検索し、" + total
          + " 件の結果が見つかりました。";
    }).append('\n');
    if (steeringWords != null) {
      out.append(switch (lang) {
        case EN -> "Your words (\"" + steeringWords + "\") steered the order of the similar pictures; copies of your "
            + "image come first regardless.";
        case ZH -> "你的描述（“" + steeringWords + "”）影响了相似图片的排序；你这张图片的副本始终排在最前。";
        case JA -> "あなたの言葉（「" + steeringWords + "」）で類似画像の順序を調整しました。この画像のコピーは常に先頭です。";
      }).append('\n');
    }
    if (results.size() < images) {
      out.append(switch (lang) {
        case EN -> "I searched only the first " + results.size() + " of " + images + " images (max_tool_calls).";
        case ZH -> "受 max_tool_calls 限制，只搜索了 " + images + " 张图片中的前 " + results.size() + " 张。";
        case JA -> "max_tool_calls の制限により、" + images + " 枚のうち最初の " + results.size() + " 枚だけを検索しました。";
      }).append('\n');
    }
    for (int i = 0; i < results.size(); i++) {
      if (results.size() > 1) {
        out.append('\n').append(switch (lang) {
          case EN -> "Image " + (i + 1) + ":";
          case ZH -> "第 " + (i + 1) + " 张图片：";
          case JA -> (i + 1) + " 枚目の画像：";
        }).append('\n');
      }
      describe(out, results.get(i));
    }
    return out.toString().strip();
  }

  private void describe(StringBuilder out, ImageSearchResult result) {
    List<SearchHit> hits = result.hits();
    if (hits.isEmpty()) {
      out.append(switch (lang) {
        case EN -> "Nothing in the collection matches this image.";
        case ZH -> "图库中没有与这张图片匹配的内容。";
        case JA -> "コレクションにこの画像と一致するものはありません。";
      }).append('\n');
      return;
    }
    List<SearchHit> copies = hits.stream().filter(h -> h.match().isCopy()).toList();
    if (copies.isEmpty()) {
      out.append(switch (lang) {
        case EN -> "None of them is a copy of your image; they only look alike.";
        case ZH -> "其中没有你这张图片的副本，只是看起来相似。";
        case JA -> "いずれもこの画像のコピーではなく、見た目が似ているだけです。";
      }).append('\n');
    } else {
      out.append(copiesLine(copies)).append('\n');
      earliestSighting(copies, result).ifPresent(first -> out.append(earliestLine(first)).append('\n'));
      if (copies.size() > 1) {
        SearchHit largest = copies.stream().max(Comparator.comparingLong(h -> (long) h.width() * h.height()))
            .orElseThrow();
        out.append(largestLine(largest, result.urls().get(hits.indexOf(largest)))).append('\n');
      }
      String changes = changesLine(copies);
      if (changes != null) {
        out.append(changes).append('\n');
      }
    }
    out.append(switch (lang) {
      case EN -> "Top matches:";
      case ZH -> "最相关的结果：";
      case JA -> "上位の結果：";
    }).append('\n');
    for (int i = 0; i < Math.min(TOP_LISTED, hits.size()); i++) {
      SearchHit h = hits.get(i);
      out.append(h.index()).append(". [").append(h.title()).append("](").append(result.urls().get(i)).append(") (")
          .append(kindName(h.match())).append(", ").append(String.format(Locale.ROOT, "%.2f", h.score()))
          .append(")\n");
    }
    List<String> shared = sharedWords(hits.subList(0, Math.min(TOP_LISTED, hits.size())));
    if (!shared.isEmpty()) {
      out.append(switch (lang) {
        case EN -> "Words the titles share: ";
        case ZH -> "标题中的共同词语：";
        case JA -> "タイトルに共通する語：";
      }).append(String.join(lang == Language.EN ? ", " : "、", shared)).append(lang == Language.EN ? "." : "。")
          .append('\n');
    }
  }

  private String copiesLine(List<SearchHit> copies) {
    Map<MatchKind, Integer> byKind = new LinkedHashMap<>();
    copies.forEach(h -> byKind.merge(h.match(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    byKind.forEach((kind, n) -> parts.add(n + " " + kindName(kind)));
    String breakdown = String.join(lang == Language.EN ? ", " : "，", parts);
    return switch (lang) {
      case EN -> (copies.size() == 1 ? "1 of them is a copy" : copies.size() + " of them are copies")
          + " of your image (" + breakdown + ").";
      case ZH -> "其中 " + copies.size() + " 个是你这张图片的副本（" + breakdown + "）。";
      case JA -> "そのうち " + copies.size() + " 件はこの画像のコピーです（" + breakdown + "）。";
    };
  }

  /**
   * One place a copy was seen: its title, where to look (the page, else the image's URL, else the
   * link the tool gave the hit) and when it was first seen there.
   */
  private record Sighting(String title, String where, Instant firstSeen) {}

  /** The earliest sighting over every occurrence of every copy, not only the occurrence each hit shows. */
  private static Optional<Sighting> earliestSighting(List<SearchHit> copies, ImageSearchResult result) {
    List<Sighting> sightings = new ArrayList<>();
    for (SearchHit h : copies) {
      String link = result.urls().get(result.hits().indexOf(h));
      if (h.image() == null) {
        if (h.firstSeen() != null) {
          sightings.add(new Sighting(h.title(), h.pageUrl() != null ? h.pageUrl() : link, h.firstSeen()));
        }
        continue;
      }
      for (Occurrence o : h.image().occurrences()) {
        String where = o.pageUrl() != null ? o.pageUrl() : o.url() != null ? o.url() : link;
        sightings.add(new Sighting(o.title(), where, o.firstSeen()));
      }
    }
    return sightings.stream().min(Comparator.comparing(Sighting::firstSeen));
  }

  private String earliestLine(Sighting first) {
    String date = LocalDate.ofInstant(first.firstSeen(), ZoneOffset.UTC).toString();
    return switch (lang) {
      case EN -> "The earliest sighting is \"" + first.title() + "\", first seen on " + date + " at " + first.where() + ".";
      case ZH -> "最早的出现是“" + first.title() + "”，首次发现于 " + date + "，位置：" + first.where() + "。";
      case JA -> "最も早い出現は「" + first.title() + "」で、" + date + " に " + first.where() + " で初めて確認されました。";
    };
  }

  private String largestLine(SearchHit largest, String url) {
    String size = largest.width() + "×" + largest.height();
    return switch (lang) {
      case EN -> "The largest version is \"" + largest.title() + "\" (" + size + "): " + url + ".";
      case ZH -> "最大的版本是“" + largest.title() + "”（" + size + "）：" + url + "。";
      case JA -> "最大のバージョンは「" + largest.title() + "」（" + size + "）：" + url + "。";
    };
  }

  /**
   * How many copies show each kind of change, for example "How the copies differ from your image:
   * cropping (2), mirroring (1)."; null when no copy carries verified differences. The words name
   * the change without saying which side was edited: verification shows that the two differ, not
   * which came first.
   */
  private String changesLine(List<SearchHit> copies) {
    Map<Change, Integer> counts = new EnumMap<>(Change.class);
    for (SearchHit h : copies) {
      if (h.differences() != null) {
        for (Change c : Change.values()) {
          if (c.test.test(h.differences())) {
            counts.merge(c, 1, Integer::sum);
          }
        }
      }
    }
    if (counts.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((change, n) -> parts.add(switch (lang) {
      case EN -> change.en + " (" + n + ")";
      case ZH -> change.zh + "（" + n + " 个）";
      case JA -> change.ja + "（" + n + " 件）";
    }));
    return switch (lang) {
      case EN -> "How the copies differ from your image: " + String.join(", ", parts) + ".";
      case ZH -> "这些副本与你的图片的差异：" + String.join("、", parts) + "。";
      case JA -> "コピーとこの画像の違い：" + String.join("、", parts) + "。";
    };
  }

  /** The kinds of change a summary counts, in the order {@link Differences#describe()} names them. */
  private enum Change {
    CROPPED(Differences::cropped, "cropping", "裁剪", "トリミング"),
    EXTENDED(Differences::extended, "borders or a wider view", "边框或更宽的画面", "余白や広い画角"),
    ROTATED(Differences::rotated, "rotation", "旋转", "回転"),
    MIRRORED(Differences::mirrored, "mirroring", "镜像", "反転"),
    PERSPECTIVE(Differences::perspective, "perspective", "透视变形", "遠近の変形"),
    RESIZED(Differences::resized, "resizing", "缩放", "拡大・縮小"),
    RECOLOURED(Differences::recoloured, "recolouring", "调色", "色の変更");

    final Predicate<Differences> test;
    final String en;
    final String zh;
    final String ja;

    Change(Predicate<Differences> test, String en, String zh, String ja) {
      this.test = test;
      this.en = en;
      this.zh = zh;
      this.ja = ja;
    }
  }

  private String kindName(MatchKind kind) {
    return switch (lang) {
      case EN -> switch (kind) {
        case EXACT -> "exact";
        case NEAR_DUPLICATE -> "near-duplicate";
        case PARTIAL -> "partial";
        case SIMILAR -> "similar";
      };
      case ZH -> switch (kind) {
        case EXACT -> "完全相同";
        case NEAR_DUPLICATE -> "近似副本";
        case PARTIAL -> "局部匹配";
        case SIMILAR -> "相似";
      };
      case JA -> switch (kind) {
        case EXACT -> "完全一致";
        case NEAR_DUPLICATE -> "ほぼ同一";
        case PARTIAL -> "部分一致";
        case SIMILAR -> "類似";
      };
    };
  }

  /**
   * Words (3+ letters, not stop words) found in at least two titles, most frequent first, at most 5.
   * The summary passes only the hits it lists by name (the first {@link #TOP_LISTED}): a word that
   * only far-down hits share says nothing about what the query looks like (with 100 results, two
   * unrelated hits at places 60 and 90 always share some word), and every word shown can then be
   * checked against a title shown just above it.
   */
  static List<String> sharedWords(List<SearchHit> hits) {
    Map<String, Integer> titlesPerWord = new LinkedHashMap<>();
    for (SearchHit h : hits) {
      if (h.title() == null) {
        continue;
      }
      Set<String> words = new LinkedHashSet<>();
      for (String w : h.title().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (w.codePointCount(0, w.length()) >= 3 && !STOP_WORDS.contains(w) && !w.chars().allMatch(Character::isDigit)) {
          words.add(w);
        }
      }
      words.forEach(w -> titlesPerWord.merge(w, 1, Integer::sum));
    }
    return titlesPerWord.entrySet().stream().filter(e -> e.getValue() >= 2)
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5).map(Map.Entry::getKey).toList();
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
