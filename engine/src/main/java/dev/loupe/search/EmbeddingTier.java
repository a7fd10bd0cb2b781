package dev.loupe.search;

import dev.loupe.index.EmbeddingIndex;
import dev.loupe.index.VectorHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The similar tier from neural embeddings: nearest neighbours of the image vector, of the text
 * vector, or of both fused ({@link HybridScoring}). Returns image ids with a combined score in 0..1
 * (1 = the same direction), best first, above the query's floor.
 */
final class EmbeddingTier {
  /** Reciprocal-rank fusion's usual constant (Cormack, Clarke and Büttcher, 2009). */
  static final int RRF_K = 60;

  private EmbeddingTier() {}

  record Scored(String id, double score) {}

  static List<Scored> similar(EmbeddingIndex vectors, EmbeddingQuery q, int k) throws IOException {
    float[] image = q.image();
    float[] text = q.text();
    if (image == null || text == null) {
      List<Scored> out = new ArrayList<>();
      for (VectorHit hit : vectors.nearest(image != null ? image : text, k)) {
        if (hit.cosine() > q.floor()) {
          out.add(new Scored(hit.id(), hit.cosine()));
        }
      }
      return out;
    }
    // Hybrid: the union of both neighbour lists, each candidate scored on both sides exactly.
    Map<String, double[]> cosines = new LinkedHashMap<>();
    for (VectorHit hit : vectors.nearest(image, k)) {
      cosines.put(hit.id(), new double[] {hit.cosine(), Double.NaN});
    }
    for (VectorHit hit : vectors.nearest(text, k)) {
      cosines.computeIfAbsent(hit.id(), id -> new double[] {Double.NaN, Double.NaN})[1] = hit.cosine();
    }
    for (Map.Entry<String, double[]> e : cosines.entrySet()) {
      double[] c = e.getValue();
      if (Double.isNaN(c[0]) || Double.isNaN(c[1])) {
        float[] v = vectors.vector(e.getKey()).orElse(null);
        if (v == null) {
          continue;
        }
        c[0] = Double.isNaN(c[0]) ? dot(v, image) : c[0];
        c[1] = Double.isNaN(c[1]) ? dot(v, text) : c[1];
      }
    }
    cosines.values().removeIf(c -> Double.isNaN(c[0]) || Double.isNaN(c[1]));
    double w = q.textWeight();
    List<Scored> out = new ArrayList<>();
    switch (q.scoring()) {
      case WEIGHTED_SUM -> cosines.forEach((id, c) -> {
        double s = (1 - w) * c[0] + w * c[1];
        if (s > q.floor()) {
          out.add(new Scored(id, s));
        }
      });
      case RECIPROCAL_RANK -> {
        Map<String, Integer> byImage = ranks(cosines, 0);
        Map<String, Integer> byText = ranks(cosines, 1);
        double best = 1.0 / (RRF_K + 1);
        cosines.forEach((id, c) -> {
          if ((1 - w) * c[0] + w * c[1] > q.floor()) {
            // scaled so that first by both (weights 1 - w and w) scores 1
            double s = ((1 - w) / (RRF_K + byImage.get(id)) + w / (RRF_K + byText.get(id))) / best;
            out.add(new Scored(id, s));
          }
        });
      }
    }
    out.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::id));
    return out;
  }

  private static Map<String, Integer> ranks(Map<String, double[]> cosines, int side) {
    List<Map.Entry<String, double[]>> entries = new ArrayList<>(cosines.entrySet());
    entries.sort(Comparator.<Map.Entry<String, double[]>>comparingDouble(e -> e.getValue()[side]).reversed());
    Map<String, Integer> ranks = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      ranks.put(entries.get(i).getKey(), i + 1);
    }
    return ranks;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
