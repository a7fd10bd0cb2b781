package dev.loupe.bench;

import dev.loupe.testing.TestSeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.bench.CopyMetrics.Point;
import dev.loupe.bench.CopyMetrics.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Micro-AP and the precision/recall curve on small hand-made prediction lists. */
class CopyMetricsTest {
  private static Prediction right(double score) {
    return new Prediction(true, score);
  }

  private static Prediction wrong(double score) {
    return new Prediction(false, score);
  }

  /** Ranks 1, 3 and 5 are correct: precision 1, 2/3 and 3/5 at them. */
  private static final List<Prediction> FIVE = List.of(wrong(0.6), right(0.9), right(0.5), wrong(0.8), right(0.7));

  @Test
  void microApAveragesThePrecisionAtEachCorrectPrediction() {
    assertEquals((1 + 2.0 / 3 + 3.0 / 5) / 3, CopyMetrics.microAveragePrecision(FIVE, 3), 1e-12);
  }

  @Test
  void aQueryWhoseOriginalIsNeverPredictedCountsAsZero() {
    assertEquals((1 + 2.0 / 3 + 3.0 / 5) / 4, CopyMetrics.microAveragePrecision(FIVE, 4), 1e-12);
  }

  @Test
  void perfectRankingGivesOne() {
    var predictions = List.of(right(0.99), right(0.9), wrong(0.4), right(0.95), wrong(0.2));
    assertEquals(1.0, CopyMetrics.microAveragePrecision(predictions, 3), 1e-12);
  }

  @Test
  void onlyNegativesAboveTheCorrectOnesHalveIt() {
    // A negative query's wrong hit outranks the one correct pair: precision 1/2 at the correct one.
    assertEquals(0.5, CopyMetrics.microAveragePrecision(List.of(wrong(0.9), right(0.8)), 1), 1e-12);
  }

  @Test
  void tiesCountAsOneGroupWhateverTheirOrder() {
    assertEquals(0.5, CopyMetrics.microAveragePrecision(List.of(right(0.8), wrong(0.8)), 1), 1e-12);
    assertEquals(0.5, CopyMetrics.microAveragePrecision(List.of(wrong(0.8), right(0.8)), 1), 1e-12);
    // Two right and one wrong tied at the top, then a right one: (2 * 2/3 + 3/4) / 3.
    var tied = List.of(right(1.0), wrong(1.0), right(1.0), right(0.5));
    assertEquals((2 * 2.0 / 3 + 3.0 / 4) / 3, CopyMetrics.microAveragePrecision(tied, 3), 1e-12);
  }

  @Test
  void withoutTiesItIsTheRankByRankDefinition() {
    var random = TestSeed.random(1);
    List<Prediction> predictions = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      predictions.add(new Prediction(random.nextInt(3) == 0, random.nextDouble()));
    }
    int positives = 200;
    List<Prediction> sorted = new ArrayList<>(predictions);
    sorted.sort(Comparator.comparingDouble(Prediction::score).reversed());
    double sum = 0;
    int correct = 0;
    for (int rank = 1; rank <= sorted.size(); rank++) {
      if (sorted.get(rank - 1).correct()) {
        correct++;
        sum += (double) correct / rank;
      }
    }
    assertEquals(sum / positives, CopyMetrics.microAveragePrecision(predictions, positives), 1e-12);
  }

  @Test
  void noPositivesIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> CopyMetrics.microAveragePrecision(FIVE, 0));
  }

  @Test
  void curveGivesPrecisionAndRecallAtEachThreshold() {
    List<Point> curve = CopyMetrics.curve(FIVE, 3);
    assertEquals(5, curve.size());
    assertEquals(0.9, curve.getFirst().threshold());
    Point p = CopyMetrics.at(curve, 0.7);
    assertEquals(3, p.predictions());
    assertEquals(2, p.correct());
    assertEquals(2.0 / 3, p.precision(), 1e-12);
    assertEquals(2.0 / 3, p.recall(), 1e-12);
    // Between two scores the threshold takes the points above it.
    assertEquals(p, CopyMetrics.at(curve, 0.65));
    Point none = CopyMetrics.at(curve, 0.95);
    assertEquals(0, none.predictions());
    assertEquals(1.0, none.precision());
    Point all = CopyMetrics.at(curve, 0.0);
    assertEquals(5, all.predictions());
    assertEquals(1.0, all.recall(), 1e-12);
  }

  @Test
  void lowestThresholdWithPrecisionTakesTheMostRecall() {
    var predictions = List.of(right(0.99), right(0.9), right(0.8), wrong(0.7), right(0.6), wrong(0.5));
    List<Point> curve = CopyMetrics.curve(predictions, 4);
    assertEquals(0.8, CopyMetrics.lowestThresholdWithPrecision(curve, 0.99).orElseThrow().threshold());
    // At 0.6, 4 of 5 are right: precision 0.8.
    assertEquals(0.6, CopyMetrics.lowestThresholdWithPrecision(curve, 0.8).orElseThrow().threshold());
    assertTrue(CopyMetrics.lowestThresholdWithPrecision(CopyMetrics.curve(List.of(wrong(1.0), right(0.9)), 1), 0.99)
        .isEmpty());
  }

  @Test
  void csvHasOneLinePerPoint(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sub/pr.csv");
    CopyMetrics.writeCsv(CopyMetrics.curve(FIVE, 3), file);
    List<String> lines = Files.readAllLines(file);
    assertEquals("threshold,predictions,correct,precision,recall", lines.getFirst());
    assertEquals(6, lines.size());
    assertEquals("0.900000,1,1,1.000000,0.333333", lines.get(1));
  }
}
