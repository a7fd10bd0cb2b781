package dev.loupe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Copy-detection metrics over pooled predictions, as in the DISC21 image similarity challenge:
 * every query (with or without a true original) contributes its top hits as (query, hit, score)
 * predictions; all predictions of all queries are ranked together by score.
 *
 * <p>Ties: predictions with the same score form one group and are counted together, precision
 * being taken at the end of the group, so the figures do not depend on the order within a tie.
 * Without ties this is exactly the rank-by-rank definition.
 */
final class CopyMetrics {
  private CopyMetrics() {}

  /**
   * One prediction.
   *
   * @param correct whether the hit is the query's true original
   * @param score higher means more confident that the hit is a copy
   */
  record Prediction(boolean correct, double score) {}

  /**
   * One point of the precision-recall curve: the predictions with a score of at least
   * {@code threshold}.
   */
  record Point(double threshold, int predictions, int correct, double precision, double recall) {}

  /**
   * Micro average precision: the sum, over the correct predictions in descending score, of the
   * precision at their rank, divided by the number of queries that have a true original
   * ({@code positives}). 1 when every true pair outranks every false one and every query's
   * original was predicted; predictions of negatives only ever lower it.
   */
  static double microAveragePrecision(List<Prediction> predictions, int positives) {
    if (positives <= 0) {
      throw new IllegalArgumentException("positives must be at least 1, got: " + positives);
    }
    double sum = 0;
    for (CurvePoint p : curveWithSteps(predictions, positives)) {
      sum += p.point().precision() * p.newlyCorrect();
    }
    return sum / positives;
  }

  /** The curve at every distinct score, highest threshold first. */
  static List<Point> curve(List<Prediction> predictions, int positives) {
    return curveWithSteps(predictions, positives).stream().map(CurvePoint::point).toList();
  }

  /** The point for {@code score >= threshold}; a threshold above every score gives 0 predictions and precision 1. */
  static Point at(List<Point> curve, double threshold) {
    Point best = null;
    for (Point p : curve) {
      if (p.threshold() >= threshold) {
        best = p;
      }
    }
    return best != null ? best : new Point(threshold, 0, 0, 1, 0);
  }

  /**
   * The lowest threshold whose precision is at least {@code precision}: the operating point with
   * the most recall at that precision. Empty when no threshold reaches it.
   */
  static Optional<Point> lowestThresholdWithPrecision(List<Point> curve, double precision) {
    Point found = null;
    for (Point p : curve) {
      if (p.precision() >= precision) {
        found = p;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Writes the curve as CSV: {@code threshold,predictions,correct,precision,recall}. */
  static void writeCsv(List<Point> curve, Path file) throws IOException {
    var csv = new StringBuilder("threshold,predictions,correct,precision,recall\n");
    for (Point p : curve) {
      csv.append(String.format(Locale.ROOT, "%.6f,%d,%d,%.6f,%.6f%n", p.threshold(), p.predictions(), p.correct(),
          p.precision(), p.recall()));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, csv, StandardCharsets.UTF_8);
  }

  /** A point and how many correct predictions its group of equal scores added. */
  private record CurvePoint(Point point, int newlyCorrect) {}

  private static List<CurvePoint> curveWithSteps(List<Prediction> predictions, int positives) {
    List<Prediction> sorted = new ArrayList<>(predictions);
    sorted.sort(Comparator.comparingDouble(Prediction::score).reversed());
    List<CurvePoint> points = new ArrayList<>();
    int seen = 0;
    int correct = 0;
    int i = 0;
    while (i < sorted.size()) {
      double score = sorted.get(i).score();
      int groupCorrect = 0;
      while (i < sorted.size() && sorted.get(i).score() == score) {
        groupCorrect += sorted.get(i).correct() ? 1 : 0;
        seen++;
        i++;
      }
      correct += groupCorrect;
      points.add(new CurvePoint(new Point(score, seen, correct, (double) correct / seen, (double) correct / positives),
          groupCorrect));
    }
    return points;
  }
}
