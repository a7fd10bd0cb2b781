package dev.loupe.runs;

import dev.loupe.tools.ImageSearchTool;
import dev.loupe.tools.ListedHit;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Answers a turn that brings words but no image from the hits of the conversation's latest {@code
 * image_search} call (the earlier search's results, found in the history as that call's output).
 * Two kinds of question: which hit was seen first or last (from the provenance the output lists),
 * and anything else, which is taken as words to match the pictures against: the hits are ranked by
 * the cosine between the words' vector and each hit's stored vector, which needs a text-capable
 * embedding model; without one the answer says so and names the setting.
 */
final class FollowUp {
  /** Questions about the first sighting, in English, Chinese and Japanese. */
  private static final Pattern OLDEST = Pattern.compile(
      "\\b(oldest|earliest)\\b|最早|最老|最旧|最舊|最古|一番古い|いちばん古い|最も古い|もっとも古い|一番早い|最も早い");
  /** Questions about the latest first sighting. */
  private static final Pattern NEWEST = Pattern.compile(
      "\\b(newest|latest|most recent)\\b|最新|最近|一番新しい|いちばん新しい|最も新しい|もっとも新しい");
  /**
   * The question words around an English subject, "which of those are" … "?", so that the text
   * tower sees "landscapes" rather than a question; Chinese and Japanese questions go to the tower
   * whole (a multilingual model reads them as they are).
   */
  private static final Pattern ENGLISH_QUESTION = Pattern.compile(
      "^(?:(?:and|so|ok|okay|now)[ ,]+)?(?:which|what)(?: ones?)?(?: of (?:those|these|them|the results|the pictures|the images))?"
          + "(?: (?:is|are|look|looks|show|shows|seem|seems))?(?: (?:a|an|the|like))?\\s+",
      Pattern.CASE_INSENSITIVE);

  private final FollowUpWriter writer;

  FollowUp(Language lang) {
    this.writer = new FollowUpWriter(lang);
  }

  /**
   * The hits of the latest {@code image_search} call in the history and this turn's items, or an
   * empty list when there is none (or its output is not a list Loupe wrote).
   */
  static List<ListedHit> earlierHits(RunRequest request) {
    String latest = null;
    for (List<ConversationItem> items : List.of(request.history(), request.input())) {
      for (ConversationItem item : items) {
        if (item instanceof ImageSearchCall call && call.output() != null) {
          latest = call.output();
        }
      }
    }
    if (latest == null) {
      return List.of();
    }
    try {
      return ListedHit.parse(latest);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  /** The answer to {@code question} about {@code hits} (at least one). */
  String answer(String question, List<ListedHit> hits, ImageSearchTool tool) throws IOException {
    String lower = question.toLowerCase(Locale.ROOT);
    if (OLDEST.matcher(lower).find()) {
      return bySighting(hits, true);
    }
    if (NEWEST.matcher(lower).find()) {
      return bySighting(hits, false);
    }
    if (!tool.understandsText()) {
      return writer.cannotMatchWords(hits.size());
    }
    String words = subject(question);
    List<String> ids = hits.stream().map(ListedHit::id).filter(id -> id != null).toList();
    Map<String, Double> cosines = tool.textSimilarity(words, ids);
    List<Ranked> ranked = new ArrayList<>();
    for (ListedHit h : hits) {
      Double c = h.id() == null ? null : cosines.get(h.id());
      if (c != null) {
        ranked.add(new Ranked(h, c));
      }
    }
    ranked.sort(Comparator.comparingDouble(Ranked::cosine).reversed());
    return writer.matches(words, hits.size(), ranked, bestGroup(ranked));
  }

  /** A hit and the cosine between its vector and the words'. */
  record Ranked(ListedHit hit, double cosine) {}

  /**
   * How many of the ranked hits (best first) are named as matching: those above the widest gap
   * between two neighbouring cosines. Text-to-image cosines have no fixed scale (CLIP's good
   * matches are about 0.2 to 0.35), so no absolute threshold is used; the widest gap separates the
   * pictures the words describe from the rest when there are both. Uncalibrated: when all or none
   * of the hits fit the words it still splits them, which is why the whole ranking is shown too.
   */
  static int bestGroup(List<Ranked> ranked) {
    if (ranked.size() < 2) {
      return ranked.size();
    }
    int cut = 1;
    double widest = -1;
    for (int i = 1; i < ranked.size(); i++) {
      double gap = ranked.get(i - 1).cosine() - ranked.get(i).cosine();
      if (gap > widest) {
        widest = gap;
        cut = i;
      }
    }
    return cut;
  }

  private String bySighting(List<ListedHit> hits, boolean oldest) {
    Comparator<ListedHit> byDate = Comparator.comparing(h -> h.earliest().firstSeen());
    List<ListedHit> dated = hits.stream().filter(h -> h.earliest() != null).toList();
    if (dated.isEmpty()) {
      return writer.noDates(hits.size());
    }
    ListedHit pick = oldest ? dated.stream().min(byDate).orElseThrow() : dated.stream().max(byDate).orElseThrow();
    String date = LocalDate.ofInstant(pick.earliest().firstSeen(), ZoneOffset.UTC).toString();
    return writer.bySighting(oldest, hits.size(), pick, date);
  }

  /** The words to match: an English question without its question words and final punctuation. */
  static String subject(String question) {
    String s = question.strip().replaceAll("[\\s?？!！。.]+$", "");
    String stripped = ENGLISH_QUESTION.matcher(s).replaceFirst("");
    return stripped.isBlank() ? s : stripped;
  }
}
